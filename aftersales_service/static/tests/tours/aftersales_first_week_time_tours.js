/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 20: what a technician and a manager read in their first week. The records come
// from tests/test_first_week_time.py.

const ROWS = ".o_list_renderer .o_data_row";

registry.category("web_tour.tours").add("aftersales_my_visits_today", {
    url: "/odoo/action-aftersales_service.action_aftersales_visit_my_today?view_type=list",
    steps: () => [
        {
            content: "Two facets, so both filters apply: my visits, and today",
            trigger: ".o_searchview_facet:contains(My Visits):not(:contains(Today))",
        },
        {
            trigger: ".o_searchview_facet:contains(Today):not(:contains(My Visits))",
        },
        {
            trigger: `${ROWS}:contains(Tour Today Site)`,
        },
        {
            content: "Not my other days' visits, nor a colleague's visit of today",
            trigger: `.o_list_renderer:not(:has(${ROWS}:contains(Tour Yesterday Site))):not(:has(${ROWS}:contains(Tour Tomorrow Site))):not(:has(${ROWS}:contains(Tour Colleague Site)))`,
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_breached_ticket_row", {
    url: "/odoo/action-aftersales_service.action_aftersales_ticket?view_type=list",
    steps: () => [
        {
            content: "The breached row says which target failed and by how much",
            trigger: `${ROWS}:contains(Tour Late Customer) td[name=sla_breach_summary]:contains(Arrival late by 3 h 20 min)`,
        },
        {
            content: "and shows no deadline still to come",
            trigger: `${ROWS}:contains(Tour Late Customer) td[name=sla_deadline_next]`,
            run() {
                if (this.anchor.textContent.trim()) {
                    throw new Error(`A breached row shows ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "The whole reference reads, not AS2026-0…",
            trigger: `${ROWS}:contains(Tour Late Customer) td[name=name]`,
            run() {
                const cell = this.anchor;
                if (cell.scrollWidth > cell.clientWidth) {
                    throw new Error(`The reference is cut: ${cell.textContent}`);
                }
            },
        },
    ],
});
