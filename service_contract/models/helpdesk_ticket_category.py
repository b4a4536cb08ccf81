from odoo import fields, models


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    required_skill_ids = fields.Many2many(
        "hr.skill",
        "helpdesk_ticket_category_hr_skill_rel",
        "category_id",
        "skill_id",
        string="Required Skills",
        help="Skills a technician needs for the visits of tickets of this category.",
    )
