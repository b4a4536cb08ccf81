import logging

from psycopg2 import IntegrityError

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)

# Errors that stop one invoice, not the whole batch: bad configuration
# (missing product, deprecated account...) or a constraint of the database.
ITEM_ERRORS = (UserError, IntegrityError)


class ServiceBillingEngine(models.AbstractModel):
    """Invoices billable items: finds those due, locks them, groups them into
    invoices, builds and creates the invoices and links every item to its
    invoice (line), so that nothing is invoiced twice. Billing runs and
    invoicing on closing both use it.

    What it works on is a *job*, a dict made by :meth:`_billing_job`: the
    company, the date and the grouping, and what narrows the items due.
    Items travel as dicts (``kind``, ``records``, ``contract``, ``partner``,
    ``tickets``, ``sort`` and what their kind adds). Hooks to extend, each
    with one ``super()`` call: :meth:`_billable_item_kinds`,
    :meth:`_invoice_key`, :meth:`_prepare_invoice_vals` and
    :meth:`_prepare_invoice_line_vals`."""

    _name = "service.billing.engine"
    _description = "Service Billing Engine"

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    @api.model
    def _billable_item_kinds(self):
        """``{kind: {"model": name, "link": field}}``: the records billing
        invoices and the field pointing to their invoice (``account.move``)
        or invoice line. The model offers ``_billing_due_domain(job)``,
        ``_billing_items(job)`` (item dicts, on the records locked) and
        ``_billing_line_vals(item, job)`` (the values of its lines)."""
        return {
            "period": {"model": "service.contract.period", "link": "invoice_id"},
            "usage": {"model": "service.contract.usage", "link": "invoice_line_id"},
            "charge": {"model": "helpdesk.ticket.charge", "link": "invoice_line_id"},
            "visit": {"model": "service.visit", "link": "travel_invoice_line_id"},
        }

    @api.model
    def _invoice_key(self, item, job):
        """What must be equal for items to share an invoice, as a dict;
        :meth:`_prepare_invoice_vals` reads the invoice's values from it."""
        contract = item["contract"]
        partner = contract.invoice_partner_id or item["partner"]
        return {
            "partner_id": partner.id,
            "currency_id": (contract.currency_id or job["company"].currency_id).id,
            "journal_id": (contract.journal_id or job["journal"]).id,
            "invoice_payment_term_id": (
                contract.payment_term_id or partner.property_payment_term_id
            ).id,
            "fiscal_position_id": contract.fiscal_position_id.id,
            "contract_id": contract.id if job["grouping"] == "contract" else False,
        }

    @api.model
    def _prepare_invoice_vals(self, key, items, job):
        """The values of the invoice of ``items`` (in the order of their
        lines), which share the invoice ``key``; the lines are added after."""
        contracts = self.env["service.contract"].union(*(i["contract"] for i in items))
        tickets = self.env["helpdesk.ticket"].union(*(i["tickets"] for i in items))
        codes = contracts.sorted("code").mapped("code")
        numbers = tickets.sorted("number").mapped("number")
        vals = {
            "move_type": "out_invoice",
            "partner_id": key["partner_id"],
            "currency_id": key["currency_id"],
            "journal_id": key["journal_id"],
            "invoice_date": job["date"],
            "invoice_origin": ", ".join(codes + numbers)[:200],
            "is_service_invoice": True,
            "service_billing_run_id": job["run"].id,
        }
        if key["invoice_payment_term_id"]:
            vals["invoice_payment_term_id"] = key["invoice_payment_term_id"]
        else:
            vals["invoice_date_due"] = job["date"]
        if key["fiscal_position_id"]:
            vals["fiscal_position_id"] = key["fiscal_position_id"]
        return vals

    @api.model
    def _prepare_invoice_line_vals(self, item, job):
        """The values of the invoice lines of ``item``: usually one, several
        where the price changes (overage tiers). The item links to the
        first."""
        model = job["kinds"][item["kind"]]["model"]
        lines = self.env[model]._billing_line_vals(item, job)
        for vals in lines:
            vals.setdefault("service_contract_id", item["contract"].id)
        return lines

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @api.model
    def _billing_job(self, company, date, grouping, run=None, **scope):
        """A job billing ``company``'s items due on ``date`` (also the
        invoices' date), one invoice per customer or per contract
        (``grouping``), for the billing ``run`` if any. ``scope`` narrows
        the items due: ``contracts``, ``partners`` (customers) and
        ``passed_partners`` (customers left out). While invoicing, the job
        also holds the company's service ``journal``."""
        job = {
            "company": company,
            "date": date,
            "grouping": grouping,
            "run": run or self.env["service.billing.run"],
            "contracts": self.env["service.contract"],
            "partners": self.env["res.partner"],
            "passed_partners": self.env["res.partner"],
            "kinds": self._billable_item_kinds(),
        }
        job.update(scope)
        return job

    @api.model
    def _due_domains(self, job):
        """``{kind: domain}`` of the items due, not yet invoiced."""
        common = [("company_id", "=", job["company"].id), ("partner_id", "!=", False)]
        if job["passed_partners"]:
            common.append(("partner_id", "not in", job["passed_partners"].ids))
        if job["partners"]:
            common.append(("partner_id", "in", job["partners"].ids))
        return {
            kind: common
            + [(spec["link"], "=", False)]
            + self.env[spec["model"]]._billing_due_domain(job)
            for kind, spec in job["kinds"].items()
        }

    @api.model
    def _due_partners_query(self, job, after=0):
        """SQL selecting the customers with items due, of ids above
        ``after``."""
        above = [("partner_id", ">", after)] if after else []
        queries = []
        for kind, domain in self._due_domains(job).items():
            query = self.env[job["kinds"][kind]["model"]]._search(domain + above)
            queries.append(query.subselect(SQL.identifier(query.table, "partner_id")))
        return SQL(" UNION ").join(queries)

    @api.model
    def _remaining_count(self, job, after=0):
        """How many customers have items due, of ids above ``after``."""
        query = self._due_partners_query(job, after)
        return self.env.execute_query(SQL("SELECT COUNT(*) FROM (%s) AS due", query))[
            0
        ][0]

    @api.model
    def _bill_next_batch(self, job, batch_size, after=0):
        """Draft invoices of the next ``batch_size`` customers with items due,
        of ids above ``after``. Returns the invoices, the customers passed
        (those another worker holds are left to it) and the failures (see
        :meth:`_invoice_items`)."""
        self._billing_lock(job["company"], shared=True)
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id FROM (%s) AS due ORDER BY partner_id LIMIT %s",
                self._due_partners_query(job, after),
                batch_size,
            )
        )
        partner_ids = [partner_id for (partner_id,) in rows]
        if not partner_ids:
            return self.env["account.move"], [], []
        due = {
            kind: self.env[job["kinds"][kind]["model"]].search(
                domain + [("partner_id", "in", partner_ids)]
            )
            for kind, domain in self._due_domains(job).items()
        }
        invoices, failures = self._invoice_items(self._lock_items(due, job), job)
        return invoices, partner_ids, failures

    # ------------------------------------------------------------------
    # Locking
    # ------------------------------------------------------------------
    @api.model
    def _billing_lock(self, company, shared):
        """The company's billing lock, held until the transaction ends: each
        batch holds it shared; a worker that finds all that is left held by
        others takes it exclusively, which waits for their batches."""
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        self.env.cr.execute(
            SQL(
                "SELECT %s(%s::regclass::oid::integer, %s)",
                SQL(function),
                self.env["service.billing.run"]._table,
                company.id,
            )
        )

    @api.model
    def _lock_items(self, records_by_kind, job):
        """Locks the items not invoiced yet, skipping the rows another worker
        holds; a customer with any item held elsewhere is left out whole, so
        that their invoice is never split. (``NO KEY UPDATE``: new rows may
        still reference the locked ones, e.g. usage posted on a period.)"""
        locked = {}
        held_partners = set()
        for kind, records in records_by_kind.items():
            if not records:
                locked[kind] = records
                continue
            link = job["kinds"][kind]["link"]
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
            locked[kind] = records.filtered(lambda r, ids=ids: r.id in ids)
        return {
            kind: records.filtered(lambda r: r.partner_id.id not in held_partners)
            for kind, records in locked.items()
        }

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------
    @api.model
    def _invoice_items(self, records_by_kind, job):
        """Draft invoices of these items (locked), created at once and linked
        back to them. An item that cannot be invoiced stops only its own
        invoice: the failure is logged on its contracts (or tickets).
        Returns the invoices and the failures, ``[{"records": contracts or
        tickets, "partners": customers, "error": error}]``."""
        job = {**job, "journal": job["company"]._service_journal()}
        groups = {}
        for kind, records in records_by_kind.items():
            if not records:
                continue
            for item in records._billing_items(job):
                item["kind"] = kind
                key = self._invoice_key(item, job)
                groups.setdefault(tuple(key.items()), (key, []))[1].append(item)
        specs, failures = [], []
        for key, items in groups.values():
            items.sort(key=lambda item: item["sort"])
            try:
                specs.append(self._invoice_spec(key, items, job))
            except UserError as error:
                failures.append((items, error))

        Move = self.env["account.move"]

        def create(batch):
            # One note for the whole batch rather than a notification posted
            # per invoice (which is a sixth of the creation's time).
            moves = Move.with_context(mail_create_nolog=True).create(
                [spec["vals"] for spec in batch]
            )
            moves = moves.with_env(Move.env)
            note = self._creation_note(job)
            moves._message_log_batch(bodies=dict.fromkeys(moves.ids, note))
            for spec, move in zip(batch, moves, strict=True):
                spec["move"] = move

        created, failed = self._safely(specs, create)
        failures += [(spec["items"], error) for spec, error in failed]
        self._link_items(created, job)
        return Move.concat(*(spec["move"] for spec in created)), self._log_failures(
            failures, job
        )

    @api.model
    def _creation_note(self, job):
        """The note logged on the invoices the job creates."""
        if job["run"]:
            return self.env._(
                "Invoice created by the billing run %s.", job["run"]._get_html_link()
            )
        return self.env._("Invoice created when its tickets were closed.")

    @api.model
    def _invoice_spec(self, key, items, job):
        """The values of one invoice and, line by line, the item it links
        (or None). Checks what would make the accounting refuse it, so that
        it does not fail its whole batch."""
        journal = self.env["account.journal"].browse(key["journal_id"])
        if journal.type != "sale":
            raise UserError(
                self.env._(
                    "Invoices need a sales journal, and %(journal)s is not one: "
                    "choose another on the contract or in the settings.",
                    journal=journal.display_name or self.env._("none was found"),
                )
            )
        lines, links = [], []
        for item in items:
            item_lines = self._prepare_invoice_line_vals(item, job)
            lines += item_lines
            links += [item] + [None] * (len(item_lines) - 1)
        refund = sum(vals["quantity"] * vals["price_unit"] for vals in lines) < 0
        for sequence, vals in enumerate(lines, start=1):
            vals["sequence"] = sequence
            if refund:
                vals["quantity"] = -vals["quantity"]
        vals = self._prepare_invoice_vals(key, items, job)
        if refund:
            vals["move_type"] = "out_refund"
        vals["invoice_line_ids"] = [Command.create(line) for line in lines]
        return {"vals": vals, "links": links, "items": items}

    @api.model
    def _product(self, product, missing):
        """The id of ``product``; without one, the error ``missing`` (a
        lazily translated sentence) stops the invoice."""
        if not product:
            raise UserError(self.env._(missing))
        return product.id

    @api.model
    def _link_items(self, specs, job):
        """Points every invoiced item to its invoice or invoice line (the
        writes are flushed together, one statement per table)."""
        for spec in specs:
            move = spec["move"]
            lines = move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
            for line, item in zip(lines, spec["links"], strict=True):
                if not item:
                    continue
                records = item["records"]
                link = job["kinds"][item["kind"]]["link"]
                on_line = records._fields[link].comodel_name == line._name
                records[link] = line if on_line else move

    @api.model
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

    @api.model
    def _log_failures(self, failures, job):
        """Each failure ``(items, error)`` on the chatter of its contracts
        (outside contracts, of its tickets); returns them as dicts."""
        when = format_date(self.env, job["date"])
        logged = []
        for items, error in failures:
            records = self.env["service.contract"].union(
                *(item["contract"] for item in items)
            ) or self.env["helpdesk.ticket"].union(*(item["tickets"] for item in items))
            for record in records:
                record.message_post(
                    body=self.env._(
                        "Invoicing on %(date)s failed: %(error)s",
                        date=when,
                        error=error,
                    )
                )
            partners = self.env["res.partner"].union(
                *(item["records"].partner_id for item in items)
            )
            logged.append({"records": records, "partners": partners, "error": error})
        return logged
