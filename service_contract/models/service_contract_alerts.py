from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.anchored_calendar import anchored_term_end


class ServiceContract(models.Model):
    """Alerts to the account manager, renewal and expiry."""

    _inherit = "service.contract"

    # Alerts and renewal
    alert_threshold_percent = fields.Float(string="Alert at (%)", default=80)
    alert_days_before_end = fields.Integer(default=30)
    alert_threshold_sent = fields.Boolean(copy=False)
    alert_exhausted_sent = fields.Boolean(copy=False)
    alert_ending_sent = fields.Boolean(copy=False)
    auto_renew = fields.Boolean(string="Renew Automatically", tracking=True)
    renewal_months = fields.Integer(default=12)

    def action_renew(self, months=None):
        """Extends the contract by ``renewal_months`` (its service periods
        too) and clears the alerts of the old term."""
        for contract in self:
            if not contract.date_end:
                raise UserError(
                    self.env._(
                        "%s is open-ended: there is nothing to renew.",
                        contract.display_name,
                    )
                )
            if contract.state == "cancelled":
                raise UserError(
                    self.env._(
                        "%s is cancelled and cannot be renewed.", contract.display_name
                    )
                )
            add = months or contract.renewal_months or 12
            had_periods = bool(contract.period_ids)
            contract.write(
                {
                    "date_end": anchored_term_end(
                        contract.date_start, contract.date_end, add
                    ),
                    "state": "active",
                    "alert_ending_sent": False,
                }
            )
            if had_periods:
                contract._generate_periods()
            contract.message_post(
                body=self.env._("Renewed until %s.", contract.date_end),
            )
        return True

    # ------------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------------
    def _send_alert(self, subject, message, extra_emails=None):
        """Activity and e-mail to the account manager."""
        template = self.env.ref("service_contract.mail_template_contract_alert")
        for contract in self:
            user = contract.user_id or self.env.user
            # The e-mail below is the notice: no second "assigned to you" mail.
            contract.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=subject,
                note=message,
            )
            email_values = {}
            if extra_emails:
                email_values["email_to"] = ",".join(
                    filter(None, [user.email_formatted, extra_emails])
                )
            template.with_context(
                alert_subject=subject, alert_message=message
            ).send_mail(contract.id, email_values=email_values)

    def _check_consumption_alerts(self):
        """Threshold and exhaustion alerts, once per crossing: a flag is set
        when an alert goes out and cleared when consumption falls back."""
        for contract in self.filtered(
            lambda c: c.state == "active" and c.allowance_type != "time"
        ):
            crossed = contract.allowance_total_qty and (
                contract.consumed_percent >= contract.alert_threshold_percent
            )
            exhausted = contract.allowance_total_qty and contract.remaining_qty <= 0
            if crossed and not contract.alert_threshold_sent:
                contract._send_alert(
                    self.env._(
                        "%(pct)s %% of the allowance used",
                        pct=round(contract.consumed_percent),
                    ),
                    self.env._(
                        "%(contract)s has used %(consumed)s of %(total)s %(unit)s.",
                        contract=contract.display_name,
                        consumed=round(contract.consumed_qty, 2),
                        total=round(contract.allowance_total_qty, 2),
                        unit=contract.allowance_unit,
                    ),
                )
            if exhausted and not contract.alert_exhausted_sent:
                contract._send_alert(
                    self.env._("Allowance exhausted"),
                    self.env._(
                        "%(contract)s has no allowance left; further work is overage.",
                        contract=contract.display_name,
                    ),
                )
            flags = {
                "alert_threshold_sent": bool(crossed),
                "alert_exhausted_sent": bool(exhausted),
            }
            if any(contract[f] != v for f, v in flags.items()):
                contract.write(flags)

    @api.model
    def _cron_contract_alerts(self):
        today = fields.Date.context_today(self)
        active = self.search([("state", "=", "active")])
        active._check_consumption_alerts()
        ending = active.filtered(
            lambda c: (
                c.date_end
                and not c.alert_ending_sent
                and not c.auto_renew
                and c.date_end <= today + relativedelta(days=c.alert_days_before_end)
            )
        )
        for contract in ending:
            contract._send_alert(
                self.env._("Contract ending on %s", contract.date_end),
                self.env._(
                    "%(contract)s ends on %(date)s and does not renew by itself.",
                    contract=contract.display_name,
                    date=contract.date_end,
                ),
            )
        ending.write({"alert_ending_sent": True})
        self.env["service.contract.period"]._send_due_reminders(today)

    @api.model
    def _cron_expire_contracts(self):
        """Renews auto-renewing contracts that reached their end; the others
        expire."""
        today = fields.Date.context_today(self)
        ended = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "!=", False),
                ("date_end", "<", today),
            ]
        )
        renewing = ended.filtered("auto_renew")
        for contract in renewing:
            while contract.date_end < today:
                contract.action_renew()
        (ended - renewing).write({"state": "expired"})
        self.env["service.contract.period"]._extend_open_ended(today)
