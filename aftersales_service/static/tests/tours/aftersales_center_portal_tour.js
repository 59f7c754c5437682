/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

// A service centre's user does a full job on the portal: accept, plan, check in, write
// the report, have the customer sign, check out. The job comes from the Python test.

function setValue(value) {
    return (helpers) => {
        helpers.anchor.value = value;
        helpers.anchor.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

registry.category("web_tour.tours").add("aftersales_center_job", {
    url: "/my/center/jobs",
    steps: () => [
        {
            content: "Open the job dispatched to the centre",
            trigger: "tr:has(td:contains(TOURJOB-1)) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Accept it",
            trigger: "button.o_aftersales_center_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Job accepted)",
        },
        {
            content: "Plan the visit",
            trigger: "#aftersales_center_start",
            run: setValue("2030-05-02T10:00"),
        },
        {
            trigger: "#aftersales_center_end",
            run: setValue("2030-05-02T12:00"),
        },
        {
            trigger: "button.o_aftersales_center_plan_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Visit planned)",
        },
        {
            content: "Check in on site",
            trigger: "button.o_aftersales_center_check_in",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Checked in on site)",
        },
        {
            content: "Write the service report",
            trigger: "#aftersales_center_cause",
            run: "edit Loose fan blade",
        },
        {
            trigger: "#aftersales_center_work",
            run: "edit Tightened the fan blade and balanced it.",
        },
        {
            trigger: "#aftersales_center_opinion",
            run: "edit Quiet again",
        },
        {
            trigger: "#aftersales_center_no_parts",
            run: "check",
        },
        {
            trigger: "button.o_aftersales_center_save_report",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Service report saved)",
        },
        {
            content: "The customer signs on the centre's screen",
            trigger: "button.o_aftersales_center_sign",
            run: "click",
        },
        {
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit Site Manager",
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
            trigger: ".o_aftersales_portal_message:contains(The customer signed)",
        },
        {
            content: "Check out: the visit is done",
            trigger: "button.o_aftersales_center_check_out",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_aftersales_portal_message:contains(Checked out)",
        },
        {
            trigger: ".o_aftersales_center_visit_state:contains(Done)",
        },
    ],
});
