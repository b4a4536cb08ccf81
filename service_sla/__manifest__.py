{
    "name": "Service SLA",
    "summary": "Working-time SLA clocks on helpdesk tickets, pause stages "
    "and escalation",
    "version": "18.0.1.1.0",
    "category": "Services/Helpdesk",
    "license": "LGPL-3",
    "author": "Service Contracts for Odoo",
    "website": "https://github.com/service-contracts/service-contracts",
    "depends": ["service_contract", "resource"],
    "data": [
        "security/service_sla_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/service_sla_policy_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/service_contract_views.xml",
        "report/service_sla_report_views.xml",
        "views/service_sla_menus.xml",
    ],
    "demo": ["demo/service_sla_demo.xml"],
}
