{
    "name": "Service SLA",
    "summary": "Working-time SLA clocks on helpdesk tickets, pause stages and escalation",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_contract"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
