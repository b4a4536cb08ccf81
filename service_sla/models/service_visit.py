from odoo import api, models

# What decides whether a ticket awaits a technician on site, and when one
# arrived.
ARRIVAL_TRIGGERS = {"ticket_id", "state", "check_in"}


class ServiceVisit(models.Model):
    _inherit = "service.visit"

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits.ticket_id._sla_visits_changed()
        return visits

    def write(self, vals):
        if not ARRIVAL_TRIGGERS & vals.keys():
            return super().write(vals)
        tickets = self.ticket_id
        result = super().write(vals)
        (tickets | self.ticket_id)._sla_visits_changed()
        return result
