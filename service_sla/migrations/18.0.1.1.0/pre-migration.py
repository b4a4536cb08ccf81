"""SLA clocks as records (18.0.1.1.0), before the update: the results kept
in per-target columns of helpdesk_ticket are set aside in a work table, as
the update drops the columns of the fields it removed."""

TARGET_COLUMNS = {
    "response": (
        "sla_response_status",
        "sla_response_deadline",
        "sla_response_risk_date",
        "sla_response_decided_date",
        "sla_response_hours",
        "sla_response_risk_sent",
        "sla_response_breach_sent",
    ),
    "resolution": (
        "sla_resolution_status",
        "sla_resolution_deadline",
        "sla_resolution_risk_date",
        "sla_resolution_decided_date",
        "sla_resolution_hours",
        "sla_resolution_risk_sent",
        "sla_resolution_breach_sent",
    ),
}


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket'
           AND column_name = 'sla_response_risk_date'
        """
    )
    if not cr.fetchone():
        return  # the clocks are records already
    cr.execute("DROP TABLE IF EXISTS service_sla_clock_migration")
    cr.execute(
        """
        CREATE TABLE service_sla_clock_migration (
            ticket_id integer NOT NULL,
            target varchar NOT NULL,
            policy_id integer,
            status varchar NOT NULL,
            deadline timestamp,
            risk_date timestamp,
            decided_at timestamp,
            working_hours_used double precision,
            risk_sent boolean,
            breach_sent boolean
        )
        """
    )
    for target, columns in TARGET_COLUMNS.items():
        status, deadline, risk, decided, hours, risk_sent, breach_sent = columns
        # the column names are the constants above
        cr.execute(
            f"""
            INSERT INTO service_sla_clock_migration (
                   ticket_id, target, policy_id, status, deadline, risk_date,
                   decided_at, working_hours_used, risk_sent, breach_sent)
            SELECT id, %s, sla_policy_id, {status}, {deadline}, {risk},
                   {decided}, {hours}, COALESCE({risk_sent}, FALSE),
                   COALESCE({breach_sent}, FALSE)
              FROM helpdesk_ticket
             WHERE {status} IS NOT NULL
            """,  # noqa: S608
            [target],
        )
