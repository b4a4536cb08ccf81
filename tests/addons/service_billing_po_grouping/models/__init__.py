from . import service_billing_engine, service_contract
