/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 20 on a 390-pixel phone: the technician works a visit with large buttons in the
// form (the header ones fold into the gear menu), and the customer reads their requests.
// Records come from tests/test_first_week_phone.py.

const ACTIONS = ".o_form_view .o_aftersales_technician_actions";

registry.category("web_tour.tours").add("aftersales_phone_visit", {
    steps: () => [
        {
            content: "The contact's phone is a link the technician can tap",
            trigger: ".o_form_view .o_field_phone[name=contact_phone] a[href^='tel:']",
        },
        {
            content: "Leave for the site with the large button in the form",
            trigger: `${ACTIONS} button.btn-lg[name=action_depart]`,
            run: "click",
        },
        {
            content: "Once on the way, checking in is the next step",
            trigger: `${ACTIONS}:not(:has(button[name=action_depart])) button.btn-lg[name=action_check_in]`,
            run: "click",
        },
        {
            content: "On site: check out",
            trigger: `${ACTIONS} button.btn-lg[name=action_request_check_out]`,
            run: "click",
        },
        {
            content: "The dialog lists what the report lacks",
            trigger: ".modal .o_field_widget[name=missing_items]:contains(the fault cause)",
        },
        {
            content: "Go back and complete the report instead",
            trigger: ".modal .modal-footer button.btn-primary:contains(Complete the Report)",
            run: "click",
        },
        {
            content: "Still on site: nothing was closed",
            trigger: `body:not(:has(.modal)) ${ACTIONS} button[name=action_request_check_out]`,
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_phone_portal", {
    steps: () => [
        {
            content: "The status of each request is on screen",
            trigger: "tr:has(a:contains(Phone Portal Ticket)) .o_aftersales_ticket_status .badge",
            run() {
                const right = this.anchor.getBoundingClientRect().right;
                if (right > window.innerWidth) {
                    throw new Error(`Status off-screen: ${right}px of ${window.innerWidth}px`);
                }
            },
        },
        {
            trigger: "a:contains(Phone Portal Ticket)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The visit's status and its download link are on screen",
            trigger: ".o_aftersales_visit_actions a:contains(Download)",
            run() {
                const right = this.anchor.getBoundingClientRect().right;
                if (right > window.innerWidth) {
                    throw new Error(`Download off-screen: ${right}px of ${window.innerWidth}px`);
                }
            },
        },
        {
            trigger: ".o_aftersales_visit_status:contains(Done)",
        },
        {
            content: "No message yet: the thread says what to do, not that it is empty",
            trigger: "#chatterRoot:shadow .o-mail-Thread-empty .o_aftersales_no_messages",
            // The chatter loads its own bundles after the page: slow when they are built.
            timeout: 30000,
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Thread-empty:not(:contains(The conversation is empty))",
        },
    ],
});
