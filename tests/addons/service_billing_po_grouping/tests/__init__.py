from . import test_po_grouping
