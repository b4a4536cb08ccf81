from . import anchored_calendar
