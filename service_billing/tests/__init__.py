from . import test_invoices
from . import test_scenarios
from . import test_never_twice
from . import test_concurrency
from . import test_dunning
from . import test_profitability
