from . import test_working_time
from . import test_clock_events
