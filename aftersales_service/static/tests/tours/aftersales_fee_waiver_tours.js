/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Customer service requests fee waivers from the screens (issue 20, item 1). The ticket,
// its quotation and the checks of what the tours leave behind are in
// tests/test_first_week_money.py.

const RECORD =
    "li.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):not(:has(a.text-info))";

function statusIs(state) {
    return {
        content: `The waiver is ${state}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current[data-value=${state}]`,
    };
}

function fillRequest(amount, reason) {
    return [
        {
            content: "A new request has no title yet",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains(New waiver)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=amount] input",
            run: `edit ${amount}`,
        },
        {
            trigger: ".o_form_view .o_field_widget[name=reason] textarea",
            run: `edit ${reason}`,
        },
        ...stepUtils.saveForm(),
        {
            content: "Approve the request",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]:enabled",
            run: "click",
        },
        statusIs("approved"),
    ];
}

registry.category("web_tour.tours").add("aftersales_fee_waiver_from_ticket", {
    steps: () => [
        {
            content: "Request a fee waiver from the ticket",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_request_fee_waiver]",
            run: "click",
        },
        {
            content: "The ticket and its open quotation are filled in",
            trigger:
                ".o_form_view .o_field_widget[name=ticket_id] input:value(Tour Waiver Customer)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=sale_order_id] input:value(S0)",
        },
        ...fillRequest("300", "Second visit for the same fault"),
        {
            content: "The waiver's title names the ticket and the amount",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains(300.00)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_fee_waiver_from_quotation", {
    steps: () => [
        {
            content: "Request a fee waiver from the quotation",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_request_aftersales_fee_waiver]",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=ticket_id] input:value(Tour Waiver Customer)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=sale_order_id] input:value(S0)",
        },
        ...fillRequest("100", "Goodwill on the labour"),
        {
            content: "Back to the quotation: its waiver is counted",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(S0)",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_view_aftersales_waivers] .o_stat_value:contains(1)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_fee_waiver_from_menu", {
    steps: () => [
        {
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Find the ticket by its customer's name",
            trigger: ".o_form_view .o_field_widget[name=ticket_id] input",
            run: "edit Tour Waiver Cust",
        },
        {
            trigger: `.o-autocomplete--dropdown-menu:not(:has(${RECORD}:not(:contains(Tour Waiver Customer)))) ${RECORD} a:contains(Tour Waiver Customer)`,
            run: "click",
        },
        {
            // The quotations offered are the ticket's company's: wait for the onchange
            // that brings the company (and its currency) before opening them.
            content: "The ticket's company is known: the amount shows its currency",
            trigger: ".o_form_view .o_field_widget[name=amount] .o_input span:not(.o_monetary_ghost_value)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=sale_order_id] input",
            run: "click",
        },
        {
            trigger: `.o-autocomplete--dropdown-menu ${RECORD} a:contains(S0)`,
            run: "click",
        },
        ...fillRequest("50", "Late arrival"),
    ],
});
