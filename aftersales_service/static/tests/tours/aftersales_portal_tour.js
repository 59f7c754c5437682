/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

// The customer's journey on the portal; tickets and serials come from the Python test.

registry.category("web_tour.tours").add("aftersales_portal_request", {
    url: "/my/aftersales",
    steps: () => [
        {
            content: "Ask for service",
            trigger: "a.o_aftersales_new_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Try a serial number that is not ours",
            trigger: "#aftersales_serial",
            run: "edit TOUR-UNKNOWN",
        },
        {
            trigger: "#aftersales_description",
            run: "edit The tour compressor rattles.",
        },
        {
            trigger: "button.o_aftersales_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form says why and keeps what was typed",
            trigger: ".o_aftersales_request_error:contains(not one of the products delivered to you)",
        },
        {
            trigger: "#aftersales_description:value(The tour compressor rattles.)",
        },
        {
            content: "Use our own serial number",
            trigger: "#aftersales_serial",
            run: "edit TOUR-1",
        },
        {
            trigger: "#aftersales_category",
            run: "selectByLabel Technical Fault",
        },
        {
            trigger: "button.o_aftersales_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is registered",
            trigger: ".o_aftersales_portal_message:contains(your request is registered)",
        },
        {
            trigger: ".o_aftersales_ticket_state:contains(New)",
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_portal_confirm", {
    url: "/my/aftersales",
    steps: () => [
        {
            content: "Open the resolved request",
            trigger: "tr:has(td:contains(TOUR-1)) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_ticket_state:contains(Resolved)",
        },
        {
            content: "Sign the technician's service report",
            trigger: "button.o_aftersales_sign",
            run: "click",
        },
        {
            content: "The signer types their name",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit Tour Buyer",
        },
        {
            content: "The typed name is drawn as the signature",
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
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(the service report is signed)",
        },
        {
            content: "Confirm the problem is solved",
            trigger: "button.o_aftersales_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Thank you for confirming)",
        },
        {
            content: "Rate the service",
            trigger: ".o_aftersales_rating a.o_aftersales_rate_5",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "textarea[name=feedback]",
            run: "edit On time and tidy.",
        },
        {
            trigger: "button[type=submit]:contains(Send Feedback)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "h3:contains(Thank you for your feedback)",
        },
    ],
});
