import {rpc} from "@web/core/network/rpc";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The coverage warning of the request being written in the portal's new
 * ticket form, refreshed when the contract or the category changes.
 */
publicWidget.registry.ServicePortalTicketCoverage = publicWidget.Widget.extend({
    selector: "form[action='/submitted/ticket']",
    events: {
        "change select[name='contract']": "_onChangeCoverage",
        "change select[name='category']": "_onChangeCoverage",
    },

    async _onChangeCoverage() {
        const contract = this.el.querySelector("select[name='contract']");
        const category = this.el.querySelector("select[name='category']");
        const coverage = await rpc("/my/contracts/coverage", {
            contract_id: contract ? parseInt(contract.value, 10) || false : false,
            category_id: category ? parseInt(category.value, 10) || false : false,
        });
        const box = this.el.querySelector("#service_coverage");
        box.replaceChildren();
        if (coverage) {
            const alert = document.createElement("div");
            alert.className = `alert alert-${coverage.level} o_service_portal_prewrap`;
            alert.setAttribute("role", "status");
            alert.textContent = coverage.message;
            box.append(alert);
        }
    },
});
