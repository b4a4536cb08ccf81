from . import test_invoices
