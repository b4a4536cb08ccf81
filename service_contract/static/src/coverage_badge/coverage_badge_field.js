/** @odoo-module **/
import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * The coverage of a ticket in a list: a small badge with the first reason in
 * a word or two; the whole coverage warning shows on hover.
 */
export class CoverageBadgeField extends Component {
    static template = "service_contract.CoverageBadgeField";
    static props = {...standardFieldProps};

    get label() {
        const value = this.props.record.data[this.props.name];
        const option = this.props.record.fields[this.props.name].selection.find(
            ([key]) => key === value
        );
        return option ? option[1] : "";
    }

    get tooltip() {
        return this.props.record.data.coverage_warning || "";
    }
}

registry.category("fields").add("coverage_badge", {
    component: CoverageBadgeField,
    displayName: _t("Coverage badge"),
    supportedTypes: ["selection"],
    fieldDependencies: [{name: "coverage_warning", type: "text"}],
});
