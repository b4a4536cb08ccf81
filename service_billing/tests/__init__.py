from . import (
    test_concurrency,
    test_demo,
    test_dunning,
    test_invoices,
    test_never_twice,
    test_profitability,
    test_scenarios,
)
