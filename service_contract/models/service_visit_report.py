from odoo import fields, models
from odoo.exceptions import UserError


class ServiceVisit(models.Model):
    """The work report of a visit: printed as a PDF, signed by the customer
    (on the technician's phone or in the portal), approved by the back
    office."""

    _inherit = "service.visit"

    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False, tracking=True)
    signed_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    report_state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("approved", "Approved")],
        string="Work Report",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )

    def write(self, vals):
        unsigned = self.filtered(lambda v: v.report_state == "draft")
        result = super().write(vals)
        if vals.get("signature"):
            unsigned._on_signed()
        return result

    def _on_signed(self):
        """The customer signed the work report (on the technician's phone or
        in the portal): the signed PDF is attached to the visit and e-mailed
        to the customer contact."""
        self.write({"report_state": "signed", "signed_on": fields.Datetime.now()})
        report = self.env.ref("service_contract.action_report_service_visit")
        template = self.env.ref("service_contract.mail_template_visit_report")
        for visit in self:
            pdf, _type = report._render_qweb_pdf(report.report_name, visit.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Work report %s.pdf", visit.name),
                    "type": "binary",
                    "raw": pdf,
                    "res_model": visit._name,
                    "res_id": visit.id,
                    "mimetype": "application/pdf",
                }
            )
            visit.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=attachment.ids,
            )

    def _report_parts(self):
        """``[(description, quantity)]``: the parts and expenses the work
        report lists (the ticket charges of the visit, added by billing)."""
        self.ensure_one()
        return []

    def action_approve_report(self):
        """The back office checked the quantities and rates of the report."""
        unsigned = self.filtered(lambda v: v.report_state != "signed")
        if unsigned:
            raise UserError(
                self.env._("The work report of %s is not signed yet.", unsigned[0].name)
            )
        self.write({"report_state": "approved"})
        return True
