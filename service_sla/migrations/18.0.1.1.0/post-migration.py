"""SLA clocks as records (18.0.1.1.0), after the update: one clock per
ticket and target from the results set aside before it. Met and breached
results are copied as they were decided, running clocks keep their
deadline, at-risk moment and the notices already sent; the escalation job
finds them through their next event, as it found their tickets. The old
results win over any clock the update itself may have started."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT to_regclass('service_sla_clock_migration')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        """
        INSERT INTO service_sla_clock (
               ticket_id, target, policy_id, company_id, status, deadline,
               risk_date, decided_at, working_hours_used, risk_sent,
               breach_sent, next_event_date, create_uid, create_date,
               write_uid, write_date)
        SELECT m.ticket_id, m.target, m.policy_id, t.company_id, m.status,
               m.deadline, m.risk_date, m.decided_at, m.working_hours_used,
               m.risk_sent, m.breach_sent,
               CASE
                   WHEN (m.status = 'at_risk' AND NOT m.risk_sent)
                     OR (m.status = 'breached' AND NOT m.breach_sent)
                   THEN now() AT TIME ZONE 'UTC'
                   WHEN NOT t.active OR paused.ticket_id IS NOT NULL THEN NULL
                   WHEN m.status = 'ongoing' THEN m.risk_date
                   WHEN m.status = 'at_risk' THEN m.deadline
               END,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM service_sla_clock_migration m
          JOIN helpdesk_ticket t ON t.id = m.ticket_id
          LEFT JOIN (
                SELECT DISTINCT ticket_id FROM service_sla_pause
                 WHERE date_end IS NULL
          ) paused ON paused.ticket_id = m.ticket_id
            ON CONFLICT (ticket_id, target) DO UPDATE SET
               policy_id = EXCLUDED.policy_id,
               status = EXCLUDED.status,
               deadline = EXCLUDED.deadline,
               risk_date = EXCLUDED.risk_date,
               decided_at = EXCLUDED.decided_at,
               working_hours_used = EXCLUDED.working_hours_used,
               risk_sent = EXCLUDED.risk_sent,
               breach_sent = EXCLUDED.breach_sent,
               next_event_date = EXCLUDED.next_event_date
        """
    )
    # The tickets' summary, from their clocks (the same results: this only
    # matters where the update itself started a clock before this step).
    for target in ("response", "resolution"):
        cr.execute(
            f"""
            UPDATE helpdesk_ticket t
               SET sla_{target}_status = c.status,
                   sla_{target}_deadline = c.deadline
              FROM service_sla_clock c
             WHERE c.ticket_id = t.id AND c.target = %s
               AND (t.sla_{target}_status IS DISTINCT FROM c.status
                    OR t.sla_{target}_deadline IS DISTINCT FROM c.deadline)
            """,  # noqa: S608
            [target],
        )
    cr.execute("DROP TABLE service_sla_clock_migration")
    # The tickets' next event is the earliest of their clocks' now (not stored).
    cr.execute("ALTER TABLE helpdesk_ticket DROP COLUMN IF EXISTS sla_next_event_date")
