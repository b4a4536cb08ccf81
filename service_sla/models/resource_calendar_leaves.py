from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._sla_calendars()._sla_replan()
        return leaves

    def write(self, vals):
        calendars = self._sla_calendars()
        result = super().write(vals)
        (calendars | self._sla_calendars())._sla_replan()
        return result

    def unlink(self):
        calendars = self._sla_calendars()
        result = super().unlink()
        calendars._sla_replan()
        return result

    def _sla_calendars(self):
        """Calendars of SLA policies whose public holidays (leaves without a
        resource) these are: a leave of no calendar in particular counts in
        every calendar."""
        public = self.filtered(lambda leave: not leave.resource_id)
        if public and not all(public.mapped("calendar_id")):
            policies = self.env["service.sla.policy"].with_context(active_test=False)
            return self.env["resource.calendar"].union(
                *(calendar for (calendar,) in policies._read_group([], ["calendar_id"]))
            )
        return public.calendar_id
