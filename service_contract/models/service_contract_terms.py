from dateutil.relativedelta import relativedelta

from odoo import api, models


class ServiceContract(models.Model):
    """Contract terms: the one place of the rules that coverage, the ledger,
    billing, the portal and reports apply."""

    _inherit = "service.contract"

    @api.model
    def _in_force_domain(self, date):
        """Domain of the contracts in force on ``date``."""
        return [
            ("state", "=", "active"),
            ("date_start", "<=", date),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date),
        ]

    def _is_in_force(self, date):
        self.ensure_one()
        return bool(self.filtered_domain(self._in_force_domain(date)))

    def _period_on(self, date):
        """The service period that contains ``date`` (empty if none)."""
        self.ensure_one()
        return self.period_ids.filtered(
            lambda period: period.date_start <= date <= period.date_end
        )[:1]

    def _hourly_value(self):
        """What an hour of work is worth: the contract's rate, else the
        company's default rate."""
        self.ensure_one()
        return self.hourly_rate or self.company_id.service_hourly_rate

    def _to_allowance_units(self, hours, tickets=1):
        """How much ``hours`` of work on ``tickets`` tickets draw from the
        allowance, in its unit."""
        self.ensure_one()
        if self.allowance_type == "tickets":
            return tickets
        if self.allowance_type == "amount":
            return hours * self._hourly_value()
        return hours

    def _prepare_ticket_defaults(self):
        """What a new ticket under the contract takes where it says nothing
        itself."""
        self.ensure_one()
        return {"user_id": self.user_id.id, "team_id": self.team_id.id}

    @api.model
    def _ticket_picking_fields(self):
        """The columns of a contract that picking it for a new ticket and
        creating the ticket read (modules add theirs): fetched with the
        search, without the contract's other columns."""
        return ["partner_id", "company_id", "user_id", "team_id", "enforcement"]

    @api.model
    def _applicable_contracts_by_partner(self, commercial_partners, date, fnames=()):
        """Active contracts valid on ``date``, grouped by customer, in draw
        order, with the fields ``fnames`` fetched. One query whatever the
        number of customers."""
        contracts = self.search_fetch(
            [("partner_id", "in", commercial_partners.ids)]
            + self._in_force_domain(date),
            fnames,
        )
        # grouped() keeps the prefetch of the whole search: the contracts'
        # categories and contacts are then read once for all customers.
        return {
            partner.id: group
            for partner, group in contracts.grouped("partner_id").items()
        }

    def _choose_for_ticket(self, contact, category, equipment):
        """Of the applicable contracts ``self`` (one customer's, in draw
        order), the one a new ticket from ``contact`` in ``category`` about
        ``equipment`` falls under; empty if none. A hook for other rules of
        choice. By default: never a contract the contact is not authorized
        on (staff may choose one, a ticket never falls under it by itself);
        a contract listing the equipment first, then the first that covers
        the request, then the first the contact may use."""
        # Lists, not filtered(): the records keep the prefetch of the whole
        # search of every customer's contracts.
        candidates = [c for c in self if c._covers_contact(contact)]
        covering = [c for c in candidates if c._covers(contact, category, equipment)]
        return next(
            (c for c in covering if equipment and equipment in c.equipment_ids),
            (covering or candidates or [self.browse()])[0],
        )

    def _covers(self, contact, category, equipment=None):
        """Whether this contract plainly accepts a ticket from ``contact`` in
        ``category`` about ``equipment`` (the checks that choose between
        contracts)."""
        self.ensure_one()
        return (
            self._covers_contact(contact)
            and self._covers_category(category)
            and self._covers_equipment(equipment)
        )

    def _covers_contact(self, contact):
        return (
            not self.authorized_partner_ids
            or not contact
            or (contact in self.authorized_partner_ids)
        )

    def _covers_category(self, category):
        return not category or not self.category_ids or category in self.category_ids

    def _covers_equipment(self, equipment):
        return (
            not equipment or not self.equipment_ids or equipment in self.equipment_ids
        )

    def _prepare_period_vals(self, date_start, date_end):
        """Values of the service period from ``date_start`` to ``date_end``."""
        self.ensure_one()
        payment_mode = self.payment_mode or "prepaid"
        due = self.env["service.contract.period"]._due_date_of(
            date_start, date_end, payment_mode
        )
        return {
            "contract_id": self.id,
            "date_start": date_start,
            "date_end": date_end,
            "amount": self.period_amount,
            "payment_mode": payment_mode,
            "reminder_date": due - relativedelta(days=self.reminder_days),
        }
