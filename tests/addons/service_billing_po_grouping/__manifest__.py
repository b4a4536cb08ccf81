{
    "name": "Service Billing: Purchase Order Grouping",
    "summary": "Example integrator add-on: one invoice per customer purchase order",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_billing"],
    "data": [],
    "installable": True,
}
