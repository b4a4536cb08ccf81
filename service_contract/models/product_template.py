from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    required_skill_ids = fields.Many2many(
        "hr.skill",
        "product_template_hr_skill_rel",
        "product_tmpl_id",
        "skill_id",
        string="Service Skills",
        help="Skills a technician needs to service equipment of this product.",
    )
