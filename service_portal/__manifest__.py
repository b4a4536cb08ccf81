{
    "name": "Service Portal",
    "summary": "Contracts, allowance, SLA clocks and invoices in the customer portal",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_contract", "service_sla", "service_billing", "portal"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
