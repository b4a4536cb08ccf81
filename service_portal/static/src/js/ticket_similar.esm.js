import {rpc} from "@web/core/network/rpc";
import {_t} from "@web/core/l10n/translation";
import {debounce} from "@web/core/utils/timing";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * While the contact writes a request in the portal's new ticket form, the
 * open tickets of their company that look like it, each with a link to the
 * ticket and a button to follow it instead of reporting it again.
 */
publicWidget.registry.ServicePortalSimilarTickets = publicWidget.Widget.extend({
    selector: "form[action='/submitted/ticket']",
    events: {
        "input input[name='subject']": "_onInput",
        "input textarea[name='description']": "_onInput",
    },

    init() {
        this._super(...arguments);
        this._onInput = debounce(this._refresh.bind(this), 400);
    },

    async _refresh() {
        const tickets = await rpc("/my/tickets/similar", {
            subject: this.el.querySelector("input[name='subject']").value,
            description: this.el.querySelector("textarea[name='description']").value,
        });
        const box = this.el.querySelector("#service_similar_tickets");
        box.replaceChildren();
        for (const ticket of tickets) {
            const alert = document.createElement("div");
            alert.className =
                "alert alert-info d-flex flex-wrap align-items-center gap-2";
            alert.setAttribute("role", "status");
            const text = document.createElement("span");
            text.className = "me-auto";
            text.textContent = ticket.message;
            const link = document.createElement("a");
            link.href = ticket.url;
            link.className = "btn btn-sm btn-secondary";
            link.textContent = _t("See it");
            alert.append(text, link);
            if (ticket.following) {
                const following = document.createElement("span");
                following.className = "badge text-bg-success";
                following.textContent = _t("You follow it");
                alert.append(following);
            } else {
                // Posts the request form to the follow route instead of
                // submitting it (its CSRF token goes along).
                const follow = document.createElement("button");
                follow.type = "submit";
                follow.formAction = `/my/ticket/${ticket.id}/follow`;
                follow.formNoValidate = true;
                follow.className = "btn btn-sm btn-primary";
                follow.textContent = _t("Follow it instead");
                alert.append(follow);
            }
            box.append(alert);
        }
    },
});
