from . import (
    test_batch,
    test_clock_events,
    test_escalation,
    test_policy_source,
    test_report,
    test_security,
    test_views,
    test_working_time,
    test_working_time_properties,
)
