from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._sla_forget_work()
        return attendances

    def write(self, vals):
        result = super().write(vals)
        self.calendar_id._sla_forget_work()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars._sla_forget_work()
        return result
