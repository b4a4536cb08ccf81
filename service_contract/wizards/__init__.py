from . import service_contract_usage_report
