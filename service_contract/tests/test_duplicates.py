import logging
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import ServiceContractCase
from .duplicate_samples import EQUIPMENT, labelled_reports

_logger = logging.getLogger(__name__)

NOW = datetime(2026, 3, 10, 9, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestDuplicates(ServiceContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = NOW
        cls.company = cls.env.company
        cls.company.write({"duplicate_window_days": 7, "duplicate_threshold": 30})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True}
        )
        cls.printer = cls.env["service.equipment"].create(
            {"name": "Printer hall", "partner_id": cls.customer.id}
        )

    def ticket(self, name, description="", days_ago=0, **values):
        ticket = self.open_ticket(
            name=name, description=f"<p>{description}</p>", **values
        )
        self.set_created(ticket, self.now - timedelta(days=days_ago))
        return ticket

    def set_created(self, tickets, when):
        """Dates the tickets' creation (the ORM stamps the transaction's)."""
        tickets.flush_recordset()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            [when, tuple(tickets.ids)],
        )
        tickets.invalidate_recordset(["create_date"])

    def test_same_customer_similar_text_best_first(self):
        first = self.ticket("HP LaserJet M404 jams paper", "Jams on every page", 1)
        unrelated = self.ticket("Order toner", "Black toner is low", 1)
        close = self.ticket("Paper jam in the HP LaserJet M404", "Tray 2 jams", 2)
        new = self.ticket("HP LaserJet M404 jams paper again", "Jams on every page")
        self.assertEqual(new.duplicate_candidate_ids, first + close)
        self.assertEqual(new.duplicate_candidate_count, 2)
        self.assertNotIn(unrelated, new.duplicate_candidate_ids)
        similarity = new.duplicate_candidate_ids.with_context(
            duplicate_source_id=new.id
        ).mapped("duplicate_similarity")
        self.assertGreater(similarity[0], similarity[1])
        self.assertGreaterEqual(similarity[1], 30)
        self.assertLessEqual(similarity[0], 100)
        # Symmetric: the first report shows the later ones too.
        self.assertIn(new, first.duplicate_candidate_ids)

    def test_one_query_for_the_candidates_and_theirs(self):
        """A ticket's likely duplicates and the matches of those come from one
        query once the ticket itself is read (for the superuser, whose
        matches need no access check: the mail gateway's user)."""
        first = self.ticket("HP LaserJet M404 jams paper", "Jams on every page", 1)
        close = self.ticket("Paper jam in the HP LaserJet M404", "Tray 2 jams", 2)
        new = self.ticket("HP LaserJet M404 jams paper again", "Jams on every page")
        new = new.sudo()
        self.env.flush_all()
        new._duplicate_sources()  # reads the ticket, its customer and company
        with self.assertQueryCount(1):
            candidates = new.duplicate_candidate_ids
        self.assertEqual(candidates, first + close)

    def test_only_open_tickets_of_the_same_customer(self):
        globex_contact = self.env["res.partner"].create(
            {"name": "Gina", "parent_id": self.other_customer.id}
        )
        other = self.ticket("VPN drops every hour", partner=globex_contact)
        closed = self.ticket("VPN drops every hour")
        self.close(closed)
        duplicate = self.ticket("VPN drops every hour")
        original = self.ticket("VPN drops every hour")
        duplicate.duplicate_id = original
        self.ticket("VPN drops every hour", is_preventive=True)  # planned work
        colleague = self.ticket("VPN drops every hour", partner=self.other_contact)
        new = self.ticket("VPN drops every hour")
        self.assertEqual(new.duplicate_candidate_ids, original + colleague)
        self.assertNotIn(new, other.duplicate_candidate_ids)

    def test_window(self):
        old = self.ticket("Elevator B stuck between floors", days_ago=9)
        recent = self.ticket("Elevator B stuck between floors", days_ago=6)
        new = self.ticket("Elevator B stuck between floors")
        self.assertEqual(new.duplicate_candidate_ids, recent)
        self.company.duplicate_window_days = 10
        new.invalidate_recordset(["duplicate_candidate_ids"])
        self.assertEqual(new.duplicate_candidate_ids, old + recent)
        self.company.duplicate_window_days = 0
        new.invalidate_recordset(["duplicate_candidate_ids"])
        self.assertFalse(new.duplicate_candidate_ids)

    def test_threshold(self):
        near = self.ticket("Outlook does not sync the shared mailbox")
        far = self.ticket("Outlook is slow to start")
        new = self.ticket("Shared mailbox does not sync in Outlook")
        scores = dict(new._ticket_duplicate_matches()[new])
        self.assertGreater(scores[near.id], scores.get(far.id, 0))
        self.company.duplicate_threshold = round(100 * scores[near.id]) + 1
        new.invalidate_recordset(["duplicate_candidate_ids"])
        self.assertFalse(new.duplicate_candidate_ids)
        self.company.duplicate_threshold = 1
        new.invalidate_recordset(["duplicate_candidate_ids"])
        self.assertEqual(new.duplicate_candidate_ids, near + far)

    def test_same_equipment_is_a_candidate_whatever_the_text(self):
        first = self.ticket("Stampante bloccata", equipment_id=self.printer.id)
        new = self.ticket("Paper everywhere", equipment_id=self.printer.id)
        self.assertEqual(new.duplicate_candidate_ids, first)
        self.assertEqual(
            first.with_context(duplicate_source_id=new.id).duplicate_similarity, 100
        )

    def test_form_of_a_new_ticket_shows_candidates_while_typing(self):
        first = self.ticket("Badge reader at the main entrance is offline")
        new = self.env["helpdesk.ticket"].new(
            {
                "name": "Main entrance badge reader offline",
                "description": "<p>Cannot badge in</p>",
                "partner_id": self.other_contact.id,
            }
        )
        self.assertEqual(new.duplicate_candidate_ids._origin, first)

    def test_computed_fields_refuse_writes(self):
        ticket = self.ticket("Wi-Fi slow in room Orion")
        other = self.ticket("Wi-Fi slow in room Orion")
        for field, value in [
            ("duplicate_candidate_ids", [(6, 0, [other.id])]),
            ("similar_solved_ids", [(6, 0, [other.id])]),
            ("duplicate_similarity", 50),
        ]:
            with self.assertRefused(UserError, "computed and cannot be written"):
                ticket.write({field: value})

    def test_mark_and_unmark(self):
        stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Duplicate", "closed": True, "sequence": 90}
        )
        self.company.helpdesk_mgmt_duplicate_tracking = True
        self.company.helpdesk_mgmt_duplicate_ticket_stage_id = stage
        contract = self.create_contract()
        original = self.ticket("Printer jams on floor 3")
        duplicate = self.ticket(
            "Printer on floor 3 jams", partner=self.other_contact, stage_id=False
        )
        self.assertEqual(duplicate.contract_id, contract)
        self.log_time(duplicate, 0.5)
        self.assertNotIn(self.other_contact, original.message_partner_ids)
        original.with_context(
            duplicate_source_id=duplicate.id
        ).action_mark_as_original()
        self.assertEqual(duplicate.duplicate_id, original)
        self.assertEqual(duplicate.stage_id, stage)
        self.assertIn(self.other_contact, original.message_partner_ids)
        self.assertIn("was marked as a duplicate", original.message_ids[0].body)
        self.assertIn("0.5 hours were logged", original.message_ids[0].body)
        self.assertIn("Marked as a duplicate of", duplicate.message_ids[0].body)
        # The time logged on the duplicate stays there and is counted.
        self.assertEqual(duplicate.timesheet_ids.unit_amount, 0.5)
        self.assertAlmostEqual(sum(duplicate.usage_ids.mapped("hours")), 0.5)
        # A marked duplicate is no one's candidate any more.
        self.assertNotIn(duplicate, original.duplicate_candidate_ids)
        with self.assertRefused(UserError, "itself marked as a duplicate"):
            self.ticket("Printer jams").with_context(
                duplicate_source_id=original.id
            ).browse(duplicate.id).action_mark_as_original()

        duplicate.action_unmark_duplicate()
        self.assertFalse(duplicate.duplicate_id)
        self.assertFalse(duplicate.stage_id.closed)
        self.assertNotIn(self.other_contact, original.message_partner_ids)
        self.assertIn("no longer marked as a duplicate", original.message_ids[0].body)
        self.assertIn("No longer a duplicate of", duplicate.message_ids[0].body)
        # Usage is never lost: reopening keeps the ledger until it is closed again.
        self.assertAlmostEqual(sum(duplicate.usage_ids.mapped("hours")), 0.5)

    def test_known_solutions(self):
        globex_contact = self.env["res.partner"].create(
            {"name": "Gina", "parent_id": self.other_customer.id}
        )
        solved = self.ticket(
            "Scanner Fujitsu fi-7160 not detected",
            "The reception PC does not see the scanner.",
            days_ago=40,
            partner=globex_contact,
        )
        solved.with_user(self.technician).message_post(
            body="Reinstalled the PaperStream driver and replaced the USB cable.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.close(solved)
        self.ticket("Scanner Fujitsu fi-7160 not detected")  # open: not a solution
        new = self.ticket("Fujitsu fi-7160 scanner not detected by the PC")
        self.assertEqual(new.similar_solved_ids, solved)
        self.assertIn("PaperStream", new.similar_solved_ids.solution_text)
        portal = self.env["res.users"].create(
            {
                "name": "Alice",
                "login": "alice_portal",
                "partner_id": self.contact.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.assertFalse(new.with_user(portal).sudo(False).similar_solved_ids)

    def test_labelled_set_precision_and_recall(self):
        """200 reports: 40 incidents reported four ways (first report,
        rewording, another language, typing errors) and 40 other requests,
        spread over 5 customers. The reports made in the portal or by staff
        (the first and the other-language one) name the machine where the
        incident is about one; e-mails do not."""
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(5)]
        )
        equipment = {
            family: self.env["service.equipment"].create(
                {"name": name, "partner_id": customers[family % 5].id}
            )
            for family, name in EQUIPMENT.items()
        }
        reports = labelled_reports()
        vals_list = []
        for index, (family, kind, title, description) in enumerate(reports):
            customer = customers[(index if family is None else family) % 5]
            machine = equipment.get(family) if kind in ("first", "language") else None
            vals_list.append(
                {
                    "name": title,
                    "description": f"<p>{description}</p>",
                    "partner_id": customer.id,
                    "team_id": self.team.id,
                    "equipment_id": machine.id if machine else False,
                }
            )
        tickets = self.env["helpdesk.ticket"].create(vals_list)
        self.set_created(tickets, self.now - timedelta(days=1))
        family_of = {t.id: reports[i][0] for i, t in enumerate(tickets)}
        kind_of = {t.id: reports[i][1] for i, t in enumerate(tickets)}

        def measure(pairs_filter=lambda a, b: True):
            found = tickets._ticket_duplicate_matches()
            true_pos = false_pos = positives = 0
            for ticket in tickets:
                family = family_of[ticket.id]
                same = {
                    t.id
                    for t in tickets
                    if t != ticket
                    and family is not None
                    and family_of[t.id] == family
                    and pairs_filter(ticket.id, t.id)
                }
                positives += len(same)
                for candidate_id, _score in found.get(ticket, []):
                    if not pairs_filter(ticket.id, candidate_id):
                        continue
                    if candidate_id in same:
                        true_pos += 1
                    else:
                        false_pos += 1
            return (
                true_pos / max(true_pos + false_pos, 1),
                true_pos / max(positives, 1),
            )

        precision, recall = measure()
        tickets.write({"equipment_id": False})
        text_only = measure()
        same_language = measure(lambda a, b: "language" not in (kind_of[a], kind_of[b]))
        _logger.info(
            "Duplicate candidates on the labelled set: precision %.3f, recall "
            "%.3f; text only: precision %.3f, recall %.3f; text only, "
            "same-language pairs: precision %.3f, recall %.3f",
            precision,
            recall,
            *text_only,
            *same_language,
        )
        self.assertGreaterEqual(precision, 0.8)
        self.assertGreaterEqual(recall, 0.8)
        self.assertGreaterEqual(same_language[0], 0.9)
        self.assertGreaterEqual(same_language[1], 0.9)

    def test_lookups_use_indexes(self):
        """Among 5,000 tickets (copied by SQL), the lookups are answered by
        indexes, not by reading the table: the likely duplicates through the
        customer's index, the known solutions through the trigram index of
        the text or the closed stages' (whichever the planner finds cheaper
        at this size; sequential scans are disabled to see what it can use)."""
        template = self.ticket("Template", "Template")
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True} for n in range(50)]
        )
        self.env.cr.execute(
            """
            SELECT array_agg(column_name::text) FROM information_schema.columns
             WHERE table_name = 'helpdesk_ticket'
               AND column_name NOT IN ('id', 'name', 'description',
                                       'commercial_partner_id', 'partner_id',
                                       'stage_id')
            """
        )
        columns = ", ".join(f'"{c}"' for c in self.env.cr.fetchone()[0])
        self.env.cr.execute(
            f"""
            INSERT INTO helpdesk_ticket ({columns}, name, description,
                                         commercial_partner_id, partner_id, stage_id)
            SELECT {columns},
                   'Request ' || n || ' ' || md5(n::text),
                   '<p>' || md5((n * 7)::text) || ' ' || md5((n * 13)::text) || '</p>',
                   (%(customers)s::int[])[1 + n %% 50],
                   (%(customers)s::int[])[1 + n %% 50],
                   CASE WHEN n %% 2 = 0 THEN %(done)s ELSE %(new)s END
              FROM helpdesk_ticket, generate_series(1, 5000) n
             WHERE id = %(template)s
            """,
            {
                "customers": customers.ids,
                "done": self.stage_done.id,
                "new": self.stage_new.id,
                "template": template.id,
            },
        )
        self.env.cr.execute("ANALYZE helpdesk_ticket")
        ticket = self.ticket("Scanner Fujitsu fi-7160 not detected", "At reception")
        Ticket = self.env["helpdesk.ticket"]
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)"
        )
        plans = {}
        for name, query in (
            (
                "known solutions",
                Ticket._similar_solved_query(
                    [
                        (
                            ticket,
                            self.company.id,
                            ticket.name,
                            ticket.description,
                            ticket.id,
                        )
                    ]
                ),
            ),
            (
                "likely duplicates",
                Ticket._duplicate_query(ticket._duplicate_sources(), 10),
            ),
        ):
            self.env.cr.execute(SQL("EXPLAIN %s", query))
            plans[name] = "\n".join(row[0] for row in self.env.cr.fetchall())
            _logger.info("Plan of the %s lookup:\n%s", name, plans[name])
        for plan in plans.values():
            self.assertNotIn("Seq Scan on helpdesk_ticket t", plan)
        self.assertRegex(
            plans["known solutions"],
            "helpdesk_ticket_duplicate_text_index|helpdesk_ticket__stage_id_index",
        )
