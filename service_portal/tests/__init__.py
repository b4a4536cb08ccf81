from . import (
    test_portal_contracts,
    test_portal_invoices,
    test_portal_queries,
    test_portal_security,
    test_portal_sla,
    test_portal_tickets,
    test_portal_tour,
    test_security_findings,
    test_security_fuzz,
)
