/** @odoo-module **/

import { registry } from "@web/core/registry";

// Customer service takes a call: finds the caller by the phone number they give, picks
// their serial (theirs first, no "Create"), is warned that the serial already has an open
// ticket and sees it on the form. Records come from tests/test_first_week_intake.py.

const DROPDOWN_ITEM = ".o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option)";

registry.category("web_tour.tours").add("aftersales_intake_call", {
    steps: () => [
        {
            content: "A blank ticket says nothing about a warranty yet (issue 20, item 23)",
            trigger: ".o_form_view .o_field_widget[name=partner_id]",
            run() {
                const badges = [...document.querySelectorAll(".o_form_view .badge")];
                if (badges.some((badge) => badge.textContent.includes("No Warranty"))) {
                    throw new Error("A blank ticket already says No Warranty");
                }
            },
        },
        {
            content: "Search the caller by the digits of their phone number",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 138 0013 8000",
        },
        {
            trigger: `${DROPDOWN_ITEM} a:contains(Intake Caller Co)`,
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input:value(Intake Caller Co)",
        },
        {
            content: "The caller's own serial comes first; customer service cannot create one",
            trigger: ".o_field_widget[name=lot_id] input",
            run: "edit INTAKE-SN",
        },
        {
            trigger:
                ".o-autocomplete--dropdown-menu:not(:has(.o_m2o_dropdown_option_create))" +
                `:not(:has(.o_m2o_dropdown_option_create_edit)) ${DROPDOWN_ITEM}:first-child a:contains(INTAKE-SN-1)`,
            run: "click",
        },
        {
            content: "Warned about the open ticket of the serial",
            trigger: ".modal .modal-body:contains(already has an open ticket)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The form shows the open ticket",
            trigger: "body:not(:has(.modal)) .o_aftersales_duplicate_alert .o_tag",
        },
        {
            content: "The call was already recorded: discard the duplicate",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(.o_aftersales_duplicate_alert))",
        },
    ],
});
