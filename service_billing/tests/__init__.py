from . import test_invoices
from . import test_scenarios
