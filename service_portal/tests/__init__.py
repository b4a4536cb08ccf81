from . import test_portal_contracts
from . import test_portal_invoices
from . import test_portal_queries
from . import test_portal_security
from . import test_portal_sla
from . import test_portal_tickets
from . import test_portal_tour
