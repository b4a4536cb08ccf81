"""Closed tickets keep the coverage they closed with: before the coverage
becomes a figure of the day it is read, the warning each closed ticket
carries now is kept as its coverage at closing."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE helpdesk_ticket
            ADD COLUMN IF NOT EXISTS closing_coverage_warning text,
            ADD COLUMN IF NOT EXISTS closing_coverage_badge varchar
        """
    )
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket' AND column_name = 'coverage_badge'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET closing_coverage_warning = t.coverage_warning,
               closing_coverage_badge = t.coverage_badge
          FROM helpdesk_ticket_stage s
         WHERE s.id = t.stage_id AND s.closed
        """
    )
