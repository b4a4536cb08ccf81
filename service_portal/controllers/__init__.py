from . import duplicates, helpdesk, portal, visits
