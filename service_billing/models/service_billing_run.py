import logging
import threading
from collections import defaultdict

from psycopg2 import IntegrityError, errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, mute_logger

from .res_company import INVOICE_GROUPINGS

_logger = logging.getLogger(__name__)

# Errors that stop one invoice, not the whole run: bad configuration
# (missing product, deprecated account...) or a constraint of the database.
ITEM_ERRORS = (UserError, IntegrityError)


class ServiceBillingRun(models.Model):
    """Invoices everything due on a date: service periods (prepaid on their
    start, postpaid on their end), overage, work outside contracts and ticket
    charges. Draft invoices first (preview), then posted and sent.

    Work goes by batches of customers, in the order of their ids; the rows
    being billed are locked and the ones another worker holds are skipped, so
    several runs may work at once and nothing is invoiced twice: every item
    invoiced points to its invoice (period) or invoice line (usage, charge)."""

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
    # What is due
    # ------------------------------------------------------------------
    def _due_domains(self):
        """``{model: domain}`` of the items due on the run's date, not yet
        invoiced."""
        self.ensure_one()
        date = self.date
        company = [("company_id", "=", self.company_id.id), ("partner_id", "!=", False)]
        if self.failed_partner_ids:
            company.append(("partner_id", "not in", self.failed_partner_ids.ids))
        periods = company + [
            ("invoice_id", "=", False),
            ("is_paid", "=", False),
            ("amount", "!=", 0),
            ("due_date", "<=", date),
            ("contract_id.state", "in", ("active", "expired")),
        ]
        usage = company + [
            ("is_billable", "=", True),
            ("invoice_line_id", "=", False),
            "|",
            ("contract_id", "=", False),
            ("contract_id.state", "!=", "draft"),
            # Overage counted per period, or of a postpaid period, is due
            # with the period's end; the rest when it is posted.
            "|",
            "&",
            "&",
            ("period_id", "!=", False),
            ("period_id.date_end", "<=", date),
            "|",
            ("contract_id.allowance_scope", "=", "period"),
            ("period_id.payment_mode", "=", "postpaid"),
            "&",
            ("date", "<=", date),
            "|",
            ("period_id", "=", False),
            "&",
            ("contract_id.allowance_scope", "=", "contract"),
            ("period_id.payment_mode", "=", "prepaid"),
        ]
        charges = company + [
            ("invoice_line_id", "=", False),
            ("date", "<=", date),
            ("ticket_id.stage_id.closed", "=", True),
            ("ticket_id.billing_mode", "!=", "none"),
        ]
        if self.contract_ids:
            ids = self.contract_ids.ids
            periods.append(("contract_id", "in", ids))
            usage += [
                "|",
                ("contract_id", "in", ids),
                ("ticket_id.contract_id", "in", ids),
            ]
            charges.append(("ticket_id.contract_id", "in", ids))
        if self.partner_ids:
            ids = self.partner_ids.commercial_partner_id.ids
            for domain in (periods, usage, charges):
                domain.append(("partner_id", "in", ids))
        return {
            "service.contract.period": periods,
            "service.contract.usage": usage,
            "helpdesk.ticket.charge": charges,
        }

    def _due_partners_query(self, after=0):
        """SQL selecting the customers with items due, of ids above
        ``after``."""
        above = [("partner_id", ">", after)] if after else []
        queries = []
        for model, domain in self._due_domains().items():
            query = self.env[model]._search(domain + above)
            queries.append(query.subselect(SQL.identifier(query.table, "partner_id")))
        return SQL(" UNION ").join(queries)

    def _remaining_count(self, after=0):
        return self.env.execute_query(
            SQL("SELECT COUNT(*) FROM (%s) AS due", self._due_partners_query(after))
        )[0][0]

    def _bill_next_batch(self, batch_size, after=0):
        """Draft invoices of the next ``batch_size`` customers with items due,
        of ids above ``after``; returns the invoices and the customers passed
        (those another worker holds are left to it, those that fail are noted
        on the run). Nothing is stored on the run as the batches go, so that
        several workers may share it."""
        self.ensure_one()
        self._billing_lock(shared=True)
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id FROM (%s) AS due ORDER BY partner_id LIMIT %s",
                self._due_partners_query(after),
                batch_size,
            )
        )
        partner_ids = [partner_id for (partner_id,) in rows]
        if not partner_ids:
            return self.env["account.move"], []
        due = {
            model: self.env[model].search(domain + [("partner_id", "in", partner_ids)])
            for model, domain in self._due_domains().items()
        }
        invoices = self._invoice_items(*self._lock_items(*due.values()))
        return invoices, partner_ids

    def _billing_lock(self, shared):
        """The company's billing lock, held until the transaction ends: each
        batch holds it shared; a worker that finds all that is left held by
        others takes it exclusively, which waits for their batches."""
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        self.env.cr.execute(
            SQL(
                "SELECT %s(%s::regclass::oid::integer, %s)",
                SQL(function),
                self._table,
                self.company_id.id,
            )
        )

    def _lock_items(self, periods, usage, charges):
        """Locks the items not invoiced yet, skipping the rows another worker
        holds; a customer with any item held elsewhere is left out whole, so
        that their invoice is never split. (``NO KEY UPDATE``: new rows may
        still reference the locked ones, e.g. usage posted on a period.)"""
        locked = []
        held_partners = set()
        for records, link in (
            (periods, "invoice_id"),
            (usage, "invoice_line_id"),
            (charges, "invoice_line_id"),
        ):
            if not records:
                locked.append(records)
                continue
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s AND %s IS NULL "
                    "FOR NO KEY UPDATE SKIP LOCKED",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                    SQL.identifier(link),
                    to_flush=records._fields[link],
                )
            )
            ids = {record_id for (record_id,) in rows}
            held_partners.update(r.partner_id.id for r in records if r.id not in ids)
            locked.append(records.filtered(lambda r, ids=ids: r.id in ids))
        return [
            records.filtered(lambda r: r.partner_id.id not in held_partners)
            for records in locked
        ]

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    def _invoice_items(self, periods, usage, charges):
        """Draft invoices of these items, created at once and linked back to
        them. An item that cannot be invoiced stops only its own invoice: the
        failure is logged on its contracts (or tickets) and the run."""
        entries = self._group_entries(periods, usage, charges)
        offsets = self._overage_offsets(usage.contract_id)
        specs, failures = [], []
        for key, group in entries.items():
            try:
                specs.append(self._invoice_spec(key, group, offsets))
            except UserError as error:
                failures.append((group, error))

        Move = self.env["account.move"]

        def create(batch):
            moves = Move.create([spec["vals"] for spec in batch])
            for spec, move in zip(batch, moves, strict=True):
                spec["move"] = move

        created, failed = self._safely(specs, create)
        failures += [(spec["group"], error) for spec, error in failed]
        self._link_items(created)
        self._log_failures(failures)
        return Move.concat(*(spec["move"] for spec in created))

    def _group_entries(self, periods, usage, charges):
        """``{invoice key: [(sort key, kind, contract, records)]}``: what goes
        on each invoice, in the order of its lines."""
        entries = defaultdict(list)
        journal = self.company_id._service_journal()
        for period in periods:
            contract = period.contract_id
            entries[self._invoice_key(contract.partner_id, contract, journal)].append(
                (
                    (contract.code, period.date_start, 0, period.id),
                    "period",
                    contract,
                    period,
                )
            )
        for (contract, period), lines in (
            usage.filtered("contract_id")
            .grouped(lambda u: (u.contract_id, u.period_id))
            .items()
        ):
            entries[self._invoice_key(contract.partner_id, contract, journal)].append(
                (
                    (
                        contract.code,
                        period.date_end or max(lines.mapped("date")),
                        1,
                        lines[0].id,
                    ),
                    "overage",
                    contract,
                    lines,
                )
            )
        work = usage.filtered(lambda u: not u.contract_id)
        for ticket, lines in work.grouped("ticket_id").items():
            contract = ticket.contract_id
            entries[self._invoice_key(lines[0].partner_id, contract, journal)].append(
                (
                    (contract.code or "", max(lines.mapped("date")), 2, ticket.id),
                    "work",
                    contract,
                    lines,
                )
            )
        for charge in charges:
            contract = charge.ticket_id.contract_id
            entries[self._invoice_key(charge.partner_id, contract, journal)].append(
                (
                    (contract.code or "", charge.date, 3, charge.id),
                    "charge",
                    contract,
                    charge,
                )
            )
        return entries

    def _invoice_key(self, partner, contract, journal):
        """What must be equal for items to share an invoice."""
        invoice_partner = contract.invoice_partner_id or partner
        return (
            invoice_partner.id,
            (contract.currency_id or self.company_id.currency_id).id,
            (contract.journal_id or journal).id,
            (contract.payment_term_id or invoice_partner.property_payment_term_id).id,
            contract.fiscal_position_id.id,
            contract.id if self.grouping == "contract" else False,
        )

    def _overage_offsets(self, contracts):
        """``{(contract, period): units}`` of overage invoiced already in each
        tiered scope (a period, or the whole contract: period empty)."""
        tiered = contracts.filtered("overage_tier_ids")
        offsets = defaultdict(float)
        if not tiered:
            return offsets
        for contract, period, quantity in self.env[
            "service.contract.usage"
        ]._read_group(
            [
                ("contract_id", "in", tiered.ids),
                ("is_overage", "=", True),
                ("invoice_line_id", "!=", False),
            ],
            ["contract_id", "period_id"],
            ["quantity:sum"],
        ):
            scope = period if contract.allowance_scope == "period" else period.browse()
            offsets[contract, scope] += quantity
        return offsets

    def _invoice_spec(self, key, group, offsets):
        """The values of one invoice and, line by line, the items it holds.
        Checks what would make the accounting refuse it, so that it does not
        fail its whole batch."""
        partner_id, currency_id, journal_id, term_id, position_id, _contract = key
        journal = self.env["account.journal"].browse(journal_id)
        if journal.type != "sale":
            raise UserError(
                self.env._(
                    "Invoices need a sales journal, and %(journal)s is not one: "
                    "choose another on the contract or in the settings.",
                    journal=journal.display_name or self.env._("none was found"),
                )
            )
        lines = []
        builders = {
            "period": self._period_lines,
            "overage": self._overage_lines,
            "work": self._work_lines,
            "charge": self._charge_lines,
        }
        for _sort, kind, contract, records in sorted(group, key=lambda e: e[0]):
            lines += builders[kind](contract, records, offsets)
        refund = (
            sum(vals["quantity"] * vals["price_unit"] for vals, _links in lines) < 0
        )
        for sequence, (vals, _links) in enumerate(lines, start=1):
            vals["sequence"] = sequence
            if refund:
                vals["quantity"] = -vals["quantity"]
        contracts = self.env["service.contract"].union(*(e[2] for e in group))
        tickets = self.env["helpdesk.ticket"].union(
            *(records.ticket_id for _s, kind, _c, records in group if kind != "period")
        )
        codes = contracts.sorted("code").mapped("code")
        numbers = tickets.sorted("number").mapped("number")
        vals = {
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": partner_id,
            "currency_id": currency_id,
            "journal_id": journal_id,
            "invoice_date": self.date,
            "invoice_origin": ", ".join(codes + numbers)[:200],
            "is_service_invoice": True,
            "service_billing_run_id": self._origin.id,
            "invoice_line_ids": [Command.create(vals) for vals, _links in lines],
        }
        if term_id:
            vals["invoice_payment_term_id"] = term_id
        else:
            vals["invoice_date_due"] = self.date
        if position_id:
            vals["fiscal_position_id"] = position_id
        return {
            "vals": vals,
            "links": [links for _vals, links in lines],
            "group": group,
        }

    def _product(self, product, contract, what):
        if not product:
            raise UserError(
                self.env._(
                    "No product to invoice %(what)s of %(contract)s: choose one on "
                    "the contract or in the settings.",
                    what=what,
                    contract=contract.display_name or self.env._("tickets"),
                )
            )
        return product.id

    def _period_lines(self, contract, period, offsets):
        label = self.env._(
            "Service period %(start)s to %(end)s",
            start=format_date(self.env, period.date_start),
            end=format_date(self.env, period.date_end),
        )
        vals = {
            "product_id": self._product(
                contract._fee_product(), contract, self.env._("the fee")
            ),
            "name": f"{contract.display_name}\n{label}",
            "quantity": 1.0,
            "price_unit": period.amount,
            "service_contract_id": contract.id,
            "service_period_id": period.id,
            "is_service_period_fee": True,
        }
        return [(vals, {"periods": period})]

    def _overage_lines(self, contract, usage, offsets):
        """One line per price: the tiers reached, then the overage price.
        The usage lines link to the first."""
        period = usage.period_id
        if period:
            label = self.env._(
                "Beyond the allowance, %(start)s to %(end)s",
                start=format_date(self.env, period.date_start),
                end=format_date(self.env, period.date_end),
            )
        else:
            label = self.env._(
                "Beyond the allowance, until %s",
                format_date(self.env, max(usage.mapped("date"))),
            )
        product = self._product(
            contract._overage_product(), contract, self.env._("the overage")
        )
        scope = period if contract.allowance_scope == "period" else period.browse()
        quantity = sum(usage.mapped("quantity"))
        lines = [
            (
                {
                    "product_id": product,
                    "name": f"{contract.display_name}\n{label}",
                    "quantity": segment_qty,
                    "price_unit": price,
                    "service_contract_id": contract.id,
                    "service_period_id": period.id,
                },
                {},
            )
            for segment_qty, price in contract._overage_segments(
                offsets[contract, scope], quantity
            )
        ]
        offsets[contract, scope] += quantity
        lines[0][1]["usage"] = usage
        return lines

    def _work_lines(self, contract, usage, offsets):
        ticket = usage.ticket_id
        hours = sum(usage.mapped("hours"))
        amount = sum(usage.mapped("amount"))
        rate = amount / hours if hours else self.company_id.service_hourly_rate
        vals = {
            "product_id": self._product(
                self.company_id._service_hours_product(),
                contract,
                self.env._("the hours"),
            ),
            "name": self.env._("Work on ticket %s", ticket.display_name)
            if ticket
            else "\n".join(usage.mapped("name")),
            "quantity": hours,
            "price_unit": rate,
            "service_contract_id": contract.id,
        }
        return [(vals, {"usage": usage})]

    def _charge_lines(self, contract, charge, offsets):
        vals = {
            "product_id": charge.product_id.id,
            "name": "{}\n{}".format(
                charge.name, self.env._("Ticket %s", charge.ticket_id.display_name)
            ),
            "quantity": charge.quantity,
            "price_unit": charge.price_unit,
            "service_contract_id": contract.id,
        }
        return [(vals, {"charges": charge})]

    def _link_items(self, specs):
        """Points every invoiced item to its invoice or invoice line (the
        writes are flushed together, one statement per table)."""
        for spec in specs:
            move = spec["move"]
            lines = move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
            for line, links in zip(lines, spec["links"], strict=True):
                if "periods" in links:
                    links["periods"].invoice_id = move
                if "usage" in links:
                    links["usage"].invoice_line_id = line
                if "charges" in links:
                    links["charges"].invoice_line_id = line

    def _safely(self, items, action):
        """Applies ``action`` to the list ``items`` at once and, if that
        fails, to each item alone, so that one bad item does not stop the
        others. Returns the items done and ``[(item, error)]``."""
        if not items:
            return [], []
        try:
            with self.env.cr.savepoint():
                action(items)
            return items, []
        except ITEM_ERRORS:
            _logger.info("Billing: a batch failed, retrying its items one by one")
        done, failed = [], []
        for item in items:
            try:
                with self.env.cr.savepoint():
                    action([item])
                done.append(item)
            except ITEM_ERRORS as error:
                failed.append((item, error))
        return done, failed

    def _log_failures(self, failures):
        """Each failure on the chatter of its contracts (outside contracts, of
        its tickets), and a summary on the run, which notes the customers to
        pass them over."""
        if not failures:
            return
        when = format_date(self.env, self.date)
        names = []
        for group, error in failures:
            records = self.env["service.contract"].union(
                *(contract for _s, _k, contract, _r in group)
            ) or self.env["helpdesk.ticket"].union(
                *(records.ticket_id for _s, _k, _c, records in group)
            )
            for record in records:
                record.message_post(
                    body=self.env._(
                        "Invoicing on %(date)s failed: %(error)s",
                        date=when,
                        error=error,
                    )
                )
            names += records.mapped("display_name")
        if self._origin:
            self._origin.failed_partner_ids = [
                Command.link(partner_id)
                for group, _error in failures
                for _s, _k, _c, records in group
                for partner_id in records.partner_id.ids
            ]
            self._origin.message_post(
                body=self.env._(
                    "%(count)s invoice(s) could not be created; the reasons are on "
                    "%(names)s.",
                    count=len(failures),
                    names=", ".join(names),
                )
            )

    def _post_and_send(self, invoices):
        """Posts the invoices and queues them for Odoo's invoice sending job
        (e-mail with the invoice PDF). An invoice that cannot be posted stays
        in draft with the reason on its chatter."""
        Move = self.env["account.move"]
        posted, failed = self._safely(
            list(invoices), lambda moves: Move.concat(*moves).action_post()
        )
        for move, error in failed:
            move.message_post(body=self.env._("Not posted: %s", error))
        if failed and self._origin:
            self._origin.message_post(
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

    # ------------------------------------------------------------------
    # Invoicing on closing
    # ------------------------------------------------------------------
    @api.model
    def _invoice_closed_tickets(self, tickets):
        """Draft invoices of the work outside contracts and the charges of
        closed tickets, for companies that invoice on closing."""
        Usage = self.env["service.contract.usage"]
        Charge = self.env["helpdesk.ticket.charge"]
        today = fields.Date.context_today(self)
        for company, company_tickets in tickets.grouped("company_id").items():
            run = self.with_company(company).new(
                {
                    "company_id": company.id,
                    "date": today,
                    "grouping": company.service_invoice_grouping,
                }
            )
            usage = Usage.search(
                [
                    ("ticket_id", "in", company_tickets.ids),
                    ("contract_id", "=", False),
                    ("is_billable", "=", True),
                    ("invoice_line_id", "=", False),
                ]
            )
            charges = Charge.search(
                [
                    ("ticket_id", "in", company_tickets.ids),
                    ("invoice_line_id", "=", False),
                ]
            )
            run._invoice_items(
                *run._lock_items(self.env["service.contract.period"], usage, charges)
            )
