import {registry} from "@web/core/registry";

// On a phone: the form's header buttons sit in the actions (cog) menu.
function headerButton(name, content) {
    return [
        {
            content: "Open the actions of the visit",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: `.o-dropdown--menu button[name='${name}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("service_portal_visit_phone", {
    steps: () => [
        {
            content: "Today's visit of the technician",
            trigger: ".o_kanban_record:contains('Tour: chiller stopped')",
            run: "click",
        },
        ...headerButton("action_check_in", "Check in on site"),
        {
            content: "The visit is in progress",
            trigger:
                ".o_statusbar_status .o_arrow_button_current:contains('In Progress')",
        },
        {
            content: "Parts and expenses of the visit",
            trigger: ".o_notebook_headers a:contains('Parts and Expenses')",
            run: "click",
        },
        {
            content: "Add a part",
            trigger: "div[name='charge_ids'] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Choose the part: on a phone, in a search of its own",
            trigger: ".modal div[name='product_id'] input",
            run: "click",
        },
        {
            trigger: ".modal .o_kanban_record:contains('Tour relay')",
            run: "click",
        },
        {
            trigger: ".modal div[name='quantity'] input",
            run: "edit 2",
        },
        {
            content: "Save the part",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The part is on the visit",
            trigger: "div[name='charge_ids'] .o_kanban_record:contains('Tour relay')",
        },
        ...headerButton(
            "action_open_portal_signature",
            "Hand the phone to the customer to sign"
        ),
        {
            content: "The customer reads the work report and signs it",
            trigger: "a.o_service_portal_sign_report",
            run: "click",
        },
        {
            content: "The customer contact of the ticket signs, by name",
            trigger: ".modal .o_web_sign_name_input:value(Alice Acme)",
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The report is signed",
            trigger: "#visit_signature:contains('Alice Acme')",
        },
        {
            content: "Back to the visit",
            trigger: "a.o_service_portal_back_to_visit",
            run: "click",
        },
        ...headerButton("action_check_out", "Check out"),
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
