from odoo.tests import tagged

from .common import SlaCase

# Working hours from Monday 8:00 to each closing (Brussels time).
CLOSINGS = {
    1: "2024-03-04 09:00",
    2: "2024-03-04 10:00",
    3: "2024-03-04 11:00",
    4: "2024-03-04 12:00",
    5: "2024-03-04 14:00",
    6: "2024-03-04 15:00",
    7: "2024-03-04 16:00",
    7.5: "2024-03-04 16:30",
    9: "2024-03-05 09:00",
    10: "2024-03-05 10:00",
}


@tagged("post_install", "-at_install")
class TestReport(SlaCase):
    """Ten tickets of the support team opened Monday 4 March at 8:00
    (priority "1": 2 h to respond, 8 h to resolve), closed after 1 to 10
    working hours; the first four answered after half an hour. Two tickets
    of a second team in April, solved in 1.5 h."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_team = cls.team.copy(
            {"name": "Field service", "sla_policy_id": cls.policy.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True}
        )

    def setUp(self):
        super().setUp()
        for index, (_hours, closing) in enumerate(CLOSINGS.items()):
            ticket = self.ticket_at("2024-03-04 08:00")
            if index < 4:
                self.reply(ticket, "2024-03-04 08:30")
            self.move(ticket, self.stage_done, closing)
        self.ticket_at("2024-03-05 08:00")  # still open: no result yet
        for _i in range(2):
            ticket = self.ticket_at(
                "2024-04-01 08:00",
                team_id=self.other_team.id,
                partner=self.other_customer,
            )
            self.move(ticket, self.stage_done, "2024-04-01 09:30")
        self.Report = self.env["service.sla.report"]

    def test_compliance_by_team(self):
        groups = {
            team: rest
            for team, *rest in self.Report._read_group(
                [("policy_id", "=", self.policy.id)],
                ["team_id"],
                [
                    "__count",
                    "resolution_met_percent:avg",
                    "resolution_hours:avg",
                    "resolution_hours_p90:p90",
                    "response_met_percent:avg",
                    "response_hours:avg",
                    "response_hours_p90:p90",
                ],
            )
        }
        count, met, average, p90, response_met, response_avg, response_p90 = groups[
            self.team
        ]
        self.assertEqual(count, 11)
        self.assertAlmostEqual(met, 80.0)  # 9 and 10 hours miss the 8 h
        self.assertAlmostEqual(average, 5.45)
        # continuous 90th percentile of 1..7, 7.5, 9, 10: 9 + 0.1 * (10 - 9)
        self.assertAlmostEqual(p90, 9.1)
        # four answered in time; the others closed after the 10:00 deadline
        self.assertAlmostEqual(response_met, 40.0)
        self.assertAlmostEqual(response_avg, 0.5)
        self.assertAlmostEqual(response_p90, 0.5)
        self.assertEqual(groups[self.other_team][:4], [2, 100.0, 1.5, 1.5])

    def test_compliance_by_month_customer_and_priority(self):
        by_month = self.Report._read_group(
            [("policy_id", "=", self.policy.id)],
            ["date:month"],
            ["resolution_met_percent:avg"],
        )
        self.assertEqual([round(met, 2) for _month, met in by_month], [80.0, 100.0])
        by_customer = dict(
            self.Report._read_group(
                [("policy_id", "=", self.policy.id)], ["partner_id"], ["__count"]
            )
        )
        self.assertEqual(by_customer, {self.customer: 11, self.other_customer: 2})
        by_priority = dict(
            self.Report._read_group(
                [("policy_id", "=", self.policy.id)], ["priority"], ["__count"]
            )
        )
        self.assertEqual(by_priority, {"1": 13})

    def test_pivot_reads_the_field_aggregates(self):
        """The pivot and graph views ask for each measure with the field's
        own aggregate, the 90th percentile included."""
        fields = self.Report.fields_get(
            ["resolution_hours_p90", "response_met_percent"]
        )
        self.assertEqual(fields["resolution_hours_p90"]["aggregator"], "p90")
        (group,) = self.Report.read_group(
            [("team_id", "=", self.team.id)],
            ["resolution_hours_p90:p90", "resolution_met_percent:avg"],
            ["team_id"],
        )
        self.assertAlmostEqual(group["resolution_hours_p90"], 9.1)
        self.assertAlmostEqual(group["resolution_met_percent"], 80.0)

    def test_filters_for_a_dispatcher(self):
        open_ticket = self.ticket_at("2024-03-06 08:00")
        self.escalate("2024-03-06 09:40")  # response at risk from 9:36
        Ticket = self.env["helpdesk.ticket"]
        at_risk = Ticket.search(
            [
                "|",
                ("sla_response_status", "=", "at_risk"),
                ("sla_resolution_status", "=", "at_risk"),
            ]
        )
        self.assertEqual(at_risk, open_ticket)
        breached = Ticket.search(
            [
                ("team_id", "=", self.team.id),
                "|",
                ("sla_response_status", "=", "breached"),
                ("sla_resolution_status", "=", "breached"),
            ]
        )
        # six late responses (two of them also late resolutions), and the
        # ticket opened Tuesday 8:00 not answered by 10:00
        self.assertEqual(len(breached), 7)
