{
    "name": "Service Portal",
    "summary": "Contracts, allowance, SLA clocks and invoices in the customer portal",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_contract", "service_sla", "service_billing", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/service_portal_security.xml",
        "views/service_contract_views.xml",
        "views/service_contract_portal_templates.xml",
        "views/service_contract_portal_report_templates.xml",
        "views/helpdesk_ticket_portal_templates.xml",
        "views/helpdesk_ticket_similar_templates.xml",
        "views/service_visit_portal_templates.xml",
        "views/service_visit_views.xml",
    ],
    "demo": ["demo/service_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "service_portal/static/src/js/ticket_coverage.esm.js",
            "service_portal/static/src/js/ticket_similar.esm.js",
            "service_portal/static/src/scss/service_portal.scss",
        ],
        "web.assets_tests": [
            "service_portal/static/tests/tours/*.js",
        ],
    },
}
