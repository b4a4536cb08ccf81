from datetime import date

from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestStatusReportSla(SlaCase):
    """The status report gives the SLA targets met among those decided in
    its period: one ticket met both targets in March 2024, the other missed
    both."""

    def test_sla_compliance_of_the_period(self):
        contract = self.create_contract(
            date_start=date(2024, 1, 1), date_end=date(2024, 12, 31)
        )
        met = self.ticket_at("2024-03-04 09:00", contract_id=contract.id)
        self.reply(met, "2024-03-04 09:30")
        self.move(met, self.stage_done, "2024-03-04 15:00")
        missed = self.ticket_at("2024-03-04 09:00", contract_id=contract.id)
        self.move(missed, self.stage_done, "2024-03-05 10:00")
        self.assertEqual(met.sla_resolution_status, "met")
        self.assertEqual(missed.sla_resolution_status, "breached")
        march = contract._status_report_lines(date(2024, 3, 1), date(2024, 3, 31))
        self.assertIn("SLA compliance in the period: 2 of 4 targets met (50 %).", march)
        april = contract._status_report_lines(date(2024, 4, 1), date(2024, 4, 30))
        self.assertFalse([line for line in april if line.startswith("SLA")])
