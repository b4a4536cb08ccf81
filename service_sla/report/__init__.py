from . import service_sla_report
