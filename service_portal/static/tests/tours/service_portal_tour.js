import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_contract_ticket", {
    url: "/my",
    steps: () => [
        {
            content: "Open the contracts from the portal home",
            trigger: "a[href='/my/contracts']",
            run: "click",
        },
        {
            content: "Open the contract",
            trigger:
                ".o_portal_my_doc_table a[href^='/my/contracts/']:contains('TOUR-')",
            run: "click",
        },
        {
            content: "The remaining hours are shown",
            trigger:
                "#contract_allowance .o_service_portal_remaining:contains('100.00 h left')",
        },
        {
            content: "Open a ticket against the contract",
            trigger: "a.o_service_portal_new_ticket",
            run: "click",
        },
        {
            content: "The contract is chosen and covers the request",
            trigger: "#service_coverage .alert-success:contains('Covered by')",
        },
        {
            trigger: "input[name='subject']",
            run: "edit Tour: badge reader broken",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit The badge reader at the front door rejects every badge.",
        },
        {
            content: "Send the ticket",
            trigger: "button[type='submit']",
            run: "click",
        },
        {
            content: "The ticket names its contract; back to the contract",
            trigger: "div[name='ticket_contract'] a[href^='/my/contracts/']",
            run: "click",
        },
        {
            content: "The new ticket is among the contract's open tickets",
            trigger: "#contract_open_tickets a:contains('Tour: badge reader broken')",
        },
        {
            content: "All tickets of the contract",
            trigger: "#contract_open_tickets a:contains('All tickets')",
            run: "click",
        },
        {
            content: "The ticket is in the ticket list",
            trigger: ".o_portal_my_doc_table a:contains('Tour: badge reader broken')",
        },
    ],
});
