from odoo import api, models


class ServiceVisit(models.Model):
    _name = "service.visit"
    _inherit = ["service.visit", "portal.mixin"]

    def _compute_access_url(self):
        for visit in self:
            visit.access_url = f"/my/visits/{visit.id}"

    @api.model
    def _portal_domain(self):
        """Visits listed in the user's portal: those of their customer that
        are planned for good (record rules say the same for portal users;
        employees see their own customers' there, not every visit)."""
        return [
            ("partner_id", "=", self.env.user.commercial_partner_id.id),
            ("state", "not in", ("provisional", "cancelled")),
        ]

    def action_open_portal_signature(self):
        """The technician hands their phone to the customer: the visit's
        portal page, where the customer signs the work report."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self.get_portal_url(),
            "target": "self",
        }

    def _portal_can_sign(self):
        """Whether the customer may sign the work report now: the technician
        is or was on site, and nobody has signed it yet."""
        self.ensure_one()
        return self.report_state == "draft" and self.state in ("in_progress", "done")
