/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Back-office journeys of the three after-sales roles. The records they work on (customer,
// serial, technician with a van stock, dispatched ticket and planned visit) come from
// tests/test_tours.py, which also checks what the tours leave behind.

const menu = (xmlid) => `[data-menu-xmlid='aftersales_service.${xmlid}']`;
const PARTS = ".o_field_widget[name=part_ids]";
// Views with sample="1" show made-up records when there is no data.
const REAL_DATA = ":not(:has(.o_view_sample_data))";

function openAftersalesMenu(section, item) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-Sales app",
            trigger: `.o_app${menu("menu_aftersales_root")}`,
            run: "click",
        },
        {
            trigger: `.o_main_navbar button${menu(section)}`,
            run: "click",
        },
        {
            // The menu opens in an overlay, outside the navbar.
            trigger: `.dropdown-item${menu(item)}`,
            run: "click",
        },
    ];
}

function pickMany2one(fieldSelector, text) {
    // Clicking the input first shows the unfiltered list, which the search for the typed
    // text then replaces: wait for the filtered list (every record in it matches). Search
    // More / Create options and partner_autocomplete's Search Worldwide (a.text-info) are
    // not records.
    const record =
        "li.o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option):not(:has(a.text-info))";
    const filtered = `.o-autocomplete--dropdown-menu:not(:has(${record}:not(:contains(${text}))))`;
    return [
        {
            trigger: `${fieldSelector} input`,
            run: `edit ${text}`,
        },
        {
            trigger: `${filtered} ${record} a:contains(${text})`,
            run: "click",
        },
        {
            trigger: `${fieldSelector} input:value(${text})`,
        },
    ];
}

function editHtml(fieldName, text) {
    const editable = `.o_field_html[name=${fieldName}] .odoo-editor-editable`;
    return [
        {
            // The click makes the editor create its first paragraph.
            trigger: editable,
            run: "click",
        },
        {
            trigger: editable,
            run: `editor ${text}`,
        },
        {
            trigger: `${editable}:contains(${text})`,
        },
    ];
}

function openTab(name) {
    return [
        {
            trigger: `.o_form_view .o_notebook .nav-link[name=${name}]`,
            run: "click",
        },
        {
            trigger: `.o_form_view .o_notebook .nav-link.active[name=${name}]`,
        },
    ];
}

function statusIs(state) {
    return {
        content: `The record is ${state}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current[data-value=${state}]`,
    };
}

function clickHeaderButton(name) {
    return {
        trigger: `.o_form_view .o_statusbar_buttons button[name=${name}]:enabled`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("aftersales_rep_dispatch", {
    url: "/odoo",
    steps: () => [
        ...openAftersalesMenu("menu_aftersales_tickets", "menu_aftersales_ticket_all"),
        {
            content: "Record a new request",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        ...pickMany2one(".o_field_widget[name=partner_id]", "Tour Dispatch Customer"),
        ...pickMany2one(".o_field_widget[name=product_id]", "Tour Compressor"),
        ...pickMany2one(".o_field_widget[name=lot_id]", "TOUR-SN-1"),
        ...pickMany2one(".o_field_widget[name=category_id]", "Technical Fault"),
        ...editHtml("description", "The compressor trips the breaker at start-up."),
        ...stepUtils.saveForm(),
        statusIs("new"),
        {
            content: "Dispatch the ticket",
            ...clickHeaderButton("action_open_assign_wizard"),
        },
        {
            trigger: ".modal .o_form_view .o_field_widget[name=technician_id]",
        },
        ...pickMany2one(".modal .o_field_widget[name=technician_id]", "Tour Technician"),
        {
            content: "Confirm the dispatch",
            trigger: ".modal .modal-footer button[name=action_assign]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        statusIs("assigned"),
        {
            content: "The technician is on the ticket",
            trigger: ".o_form_view .o_field_widget[name=technician_id]:contains(Tour Technician)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_technician_visit", {
    url: "/odoo",
    steps: () => [
        ...openAftersalesMenu("menu_aftersales_tickets", "menu_aftersales_ticket_my"),
        {
            content: "Open the ticket dispatched to me",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour Site Customer)",
            run: "click",
        },
        {
            content: "Accept the ticket",
            ...clickHeaderButton("action_accept"),
        },
        statusIs("in_progress"),
        stepUtils.autoExpandMoreButtons(),
        {
            content: "Open the visit planned by customer service",
            trigger: ".o_form_view button[name=action_view_visits]",
            run: "click",
        },
        {
            // The visits open on the calendar (today); the list shows every visit.
            trigger: ".o_control_panel button.o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains(-V1)",
            run: "click",
        },
        statusIs("planned"),
        {
            content: "Check in on site",
            ...clickHeaderButton("action_check_in"),
        },
        statusIs("on_site"),
        ...openTab("work"),
        {
            // A complete report checks out without the "what is missing" dialog.
            trigger: ".o_field_widget[name=resolution_cause] textarea",
            run: "edit Contactor contacts burnt.",
        },
        ...editHtml("work_done", "Replaced the worn contactor and tested three start cycles."),
        ...openTab("parts"),
        {
            content: "Record a part taken from the van",
            trigger: `${PARTS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        ...pickMany2one(`${PARTS} .o_data_row .o_field_widget[name=product_id]`, "Tour Contactor"),
        {
            trigger: `${PARTS} .o_data_row .o_field_widget[name=quantity] input`,
            run: "edit 2",
        },
        // Save the part line before leaving the tab: switching tabs while the row is
        // still in edition breaks the list (Owl error in ListRenderer.focusCell).
        ...stepUtils.saveForm(),
        {
            trigger: `${PARTS} .o_data_row:not(.o_selected_row) [name=quantity]:contains(2)`,
        },
        ...openTab("customer"),
        {
            trigger: ".o_field_widget[name=customer_opinion] textarea",
            run: "edit Quick and clean work.",
        },
        ...stepUtils.saveForm(),
        {
            content: "The customer signs on the technician's screen",
            ...clickHeaderButton("action_open_sign_wizard"),
        },
        {
            // The signature dialog draws this name.
            trigger: ".modal .o_field_widget[name=signed_by] input",
            run: "edit Tour Site Manager",
        },
        {
            trigger: ".modal .o_field_widget[name=customer_signature] .o_signature",
            run: "click",
        },
        {
            content: "The signer's name is drawn as the signature",
            trigger: ".modal canvas.o_web_sign_signature",
            async run(helpers) {
                await waitUntil(() => {
                    const canvas = helpers.anchor;
                    const context = canvas.getContext("2d");
                    const image = context.getImageData(0, 0, canvas.width, canvas.height);
                    return new Uint32Array(image.data.buffer).some((pixel) => pixel !== 0);
                });
            },
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains(Adopt & Sign):enabled",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=customer_signature] img.o_signature",
        },
        {
            trigger: ".modal .modal-footer button[name=action_sign]",
            run: "click",
        },
        {
            content: "The signature is on the visit, read-only",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=signed_on]",
        },
        {
            content: "Check out: the parts leave the van",
            ...clickHeaderButton("action_request_check_out"),
        },
        statusIs("done"),
        {
            content: "Back to the ticket",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.o_back_button) a[data-tooltip$='form']",
            run: "click",
        },
        statusIs("in_progress"),
        ...openTab("resolution"),
        {
            trigger: ".o_field_widget[name=resolution_cause] textarea",
            run: "edit Contactor contacts burnt.",
        },
        ...editHtml("resolution_note", "Replaced the contactor."),
        {
            content: "Resolve the ticket",
            ...clickHeaderButton("action_resolve"),
        },
        statusIs("resolved"),
    ],
});

registry.category("web_tour.tours").add("aftersales_manager_kpi", {
    url: "/odoo",
    steps: () => [
        ...openAftersalesMenu("menu_aftersales_reporting", "menu_aftersales_kpi_report"),
        {
            content: "The technician has a row of the pivot (real data, not the sample)",
            trigger: `.o_pivot_view${REAL_DATA} .o_pivot tbody th:contains(Tour Technician)`,
        },
        {
            trigger: ".o_control_panel button.o_switch_view.o_graph",
            run: "click",
        },
        {
            trigger: `.o_graph_view${REAL_DATA} .o_graph_canvas_container canvas`,
        },
        {
            trigger: ".o_control_panel button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "One line per ticket, with its technician",
            trigger: ".o_list_view .o_data_cell[name=technician_id]:contains(Tour Technician)",
        },
    ],
});
