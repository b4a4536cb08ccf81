from . import duplicates, helpdesk, portal
