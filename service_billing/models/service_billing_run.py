import logging
import threading

from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, mute_logger

from .res_company import INVOICE_GROUPINGS

_logger = logging.getLogger(__name__)


class ServiceBillingRun(models.Model):
    """Invoices everything due on a date: service periods (prepaid on their
    start, postpaid on their end), overage, work outside contracts and ticket
    charges. Draft invoices first (preview), then posted and sent.

    Work goes by batches of customers, in the order of their ids; the rows
    being billed are locked and the ones another worker holds are skipped, so
    several runs may work at once and nothing is invoiced twice: every item
    invoiced points to its invoice (period) or invoice line (usage, charge).
    The invoicing itself is ``service.billing.engine``'s."""

    _name = "service.billing.run"
    _description = "Billing Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Invoices everything due on or before this date; it is also the "
        "invoice date.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    contract_ids = fields.Many2many(
        "service.contract",
        string="Contracts",
        check_company=True,
        help="Only these contracts (with their tickets' work and charges). "
        "Empty: everything due.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain=[("parent_id", "=", False)],
        help="Only these customers. Empty: all.",
    )
    grouping = fields.Selection(
        INVOICE_GROUPINGS,
        required=True,
        default=lambda self: self.env.company.service_invoice_grouping,
    )
    auto_post = fields.Boolean(
        readonly=True,
        help="Run by the daily job: each batch is posted and sent at once.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("preview", "Previewed"), ("posted", "Posted")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    invoice_ids = fields.One2many(
        "account.move", "service_billing_run_id", string="Invoices", readonly=True
    )
    invoice_count = fields.Integer(compute="_compute_invoice_totals", compute_sudo=True)
    amount_total = fields.Monetary(
        string="Total", compute="_compute_invoice_totals", compute_sudo=True
    )
    failed_partner_ids = fields.Many2many(
        "res.partner",
        "service_billing_run_failed_partner_rel",
        string="Not Invoiced",
        readonly=True,
        copy=False,
        help="Customers whose invoice could not be made; the reason is on "
        "their contracts (or tickets). The run passes them over until it is "
        "previewed again.",
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Billing of %s", format_date(self.env, run.date))

    @api.depends("invoice_ids.amount_total_signed")
    def _compute_invoice_totals(self):
        for run in self:
            run.invoice_count = len(run.invoice_ids)
            run.amount_total = sum(run.invoice_ids.mapped("amount_total_signed"))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_preview(self, batch_size=200):
        """Draft invoices of everything due on the run's date that no invoice
        holds yet (again after a previous preview: only what is new)."""
        self.check_access("write")
        for run in self:
            if run.state == "posted":
                raise UserError(
                    self.env._(
                        "%s is posted already: start a new billing run.", run.name
                    )
                )
            billing = run._billing_env()
            billing.failed_partner_ids = False
            after = 0
            while partner_ids := billing._bill_next_batch(batch_size, after)[1]:
                after = partner_ids[-1]
            billing.state = "preview"
        return True

    def action_post(self):
        """Posts the run's draft invoices and sends them to the customers by
        e-mail, with the invoice PDF."""
        self.check_access("write")
        for run in self:
            if run.state == "draft":
                raise UserError(self.env._("Preview %s before posting it.", run.name))
            billing = run._billing_env()
            billing._post_and_send(
                billing.invoice_ids.filtered(lambda m: m.state == "draft")
            )
            billing.state = "posted"
        return True

    def action_discard(self):
        """Deletes the run's draft invoices: their items are billable again."""
        self.check_access("write")
        self.invoice_ids.filtered(lambda m: m.state == "draft").unlink()
        self.filtered(lambda r: r.state == "preview").state = "draft"
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            domain=[("service_billing_run_id", "=", self.id)],
            context={"default_move_type": "out_invoice", "create": False},
        )
        return action

    def _billing_env(self):
        """The run as superuser in its company: billing reads contracts,
        tickets and usage that invoicing staff may not see otherwise."""
        return self.with_company(self.company_id).sudo()

    # ------------------------------------------------------------------
    # Scheduled billing
    # ------------------------------------------------------------------
    @api.model
    def _cron_bill(self, batch_size=200, max_batches=5):
        """Today's billing of the companies that post automatically: a batch
        of customers at a time, each posted, queued for sending and committed,
        with the progress reported to the scheduler, which calls again while
        work remains: a call stays well within the cron time limit however
        many contracts are due."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([("service_auto_post", "=", True)])
        runs = self.search(
            [
                ("auto_post", "=", True),
                ("date", "=", today),
                ("company_id", "in", companies.ids),
            ]
        )
        # Workers starting at the same moment may each make a run: they
        # share the work all the same, as every call bills all of today's runs.
        runs |= self.create(
            [
                {
                    "auto_post": True,
                    "date": today,
                    "company_id": company.id,
                    "grouping": company.service_invoice_grouping,
                }
                for company in companies - runs.company_id
            ]
        )
        runs = [run._billing_env() for run in runs if run.state != "posted"]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        remaining = {run: run._remaining_count() for run in runs}
        done = batches = 0
        for run in runs:
            after, exhausted = 0, False
            while batches < max_batches:
                invoices, partner_ids = run._bill_next_batch(batch_size, after)
                if not partner_ids:
                    exhausted = True
                    break
                after = partner_ids[-1]
                run._post_and_send(invoices)
                done += len(partner_ids)
                batches += 1
                remaining[run] = run._remaining_count(after)
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=sum(remaining.values())
                )
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
            # What another worker still holds counts until it is committed.
            remaining[run] = run._remaining_count()
            if not remaining[run]:
                run._mark_posted()
            elif exhausted:
                # All that is left is being billed by other workers: wait for
                # their batches rather than be called again at once.
                run._billing_lock(shared=False)
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=sum(remaining.values())
        )

    def _mark_posted(self):
        """Marks a finished run posted; when two workers finish it at once,
        the one that comes second leaves it to the first."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.state = "posted"
        except errors.SerializationFailure:
            _logger.info("%s finished by another worker", self.name)

    # ------------------------------------------------------------------
    # Billing, by the engine
    # ------------------------------------------------------------------
    def _billing_job(self):
        """The engine's job of the run: its company, date and grouping, the
        contracts and customers it is narrowed to, without the customers
        whose invoice failed."""
        self.ensure_one()
        return self.env["service.billing.engine"]._billing_job(
            self.company_id,
            self.date,
            self.grouping,
            run=self,
            contracts=self.contract_ids,
            partners=self.partner_ids.commercial_partner_id,
            passed_partners=self.failed_partner_ids,
        )

    def _remaining_count(self, after=0):
        """How many customers have items due, of ids above ``after``."""
        return self.env["service.billing.engine"]._remaining_count(
            self._billing_job(), after
        )

    def _billing_lock(self, shared):
        """The billing lock of the run's company (see the engine)."""
        self.env["service.billing.engine"]._billing_lock(self.company_id, shared)

    def _bill_next_batch(self, batch_size, after=0):
        """Draft invoices of the next ``batch_size`` customers with items due,
        of ids above ``after``; returns the invoices and the customers passed
        (those another worker holds are left to it, those that fail are noted
        on the run). Nothing else is stored on the run as the batches go, so
        that several workers may share it."""
        self.ensure_one()
        invoices, partner_ids, failures = self.env[
            "service.billing.engine"
        ]._bill_next_batch(self._billing_job(), batch_size, after)
        if failures:
            self.failed_partner_ids = [
                Command.link(partner.id)
                for failure in failures
                for partner in failure["partners"]
            ]
            records = [failure["records"] for failure in failures]
            names = [name for r in records for name in r.mapped("display_name")]
            self.message_post(
                body=self.env._(
                    "%(count)s invoice(s) could not be created; the reasons are on "
                    "%(names)s.",
                    count=len(failures),
                    names=", ".join(names),
                )
            )
        return invoices, partner_ids

    def _post_and_send(self, invoices):
        """Posts the invoices and queues them for Odoo's invoice sending job
        (e-mail with the invoice PDF). An invoice that cannot be posted stays
        in draft with the reason on its chatter."""
        Move = self.env["account.move"]
        posted, failed = self.env["service.billing.engine"]._safely(
            list(invoices), lambda moves: Move.concat(*moves).action_post()
        )
        for move, error in failed:
            move.message_post(body=self.env._("Not posted: %s", error))
        if failed:
            self.message_post(
                body=self.env._(
                    "%s invoice(s) could not be posted and stay in draft; the "
                    "reasons are on the invoices.",
                    len(failed),
                )
            )
        posted = Move.concat(*posted)
        if posted:
            posted.sending_data = {
                "author_user_id": self.env.user.id,
                "author_partner_id": self.env.user.partner_id.id,
            }
            self.env.ref("account.ir_cron_account_move_send")._trigger()
        return posted
