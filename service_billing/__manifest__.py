{
    "name": "Service Billing",
    "summary": "Recurring, overage and out-of-contract invoicing of service contracts",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_contract", "account"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
