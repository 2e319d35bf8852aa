import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Opens Customer Care (its first screen is the Customer Care > Reporting > Overview dashboard), then every
 * dashboard of the "Customer Care" group (Customers, and Loyalty and Complaints when their addons are
 * installed), waiting each time for the spreadsheet to render, without an error.
 */
const ROOT = "crm_lifecycle.crm_care_menu_root";
const ACTION = ".o_spreadsheet_dashboard_action";
const LOADED = `${ACTION} .o_renderer .o-spreadsheet`;

registry.category("web_tour.tours").add("crm_care_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: `.o_app[data-menu-xmlid="${ROOT}"]`,
            run: "click",
        },
        {
            content: "Customer Care opens on its Customers dashboard",
            trigger: `${ACTION} .o_search_panel_category_value.active[data-name="Customers"]`,
        },
        {
            content: "The Customers spreadsheet is loaded",
            trigger: LOADED,
        },
        {
            content: "Open each Customer Care dashboard",
            trigger: `${ACTION} .o_search_panel_category_value[data-name="Customers"]`,
            async run({ click, waitFor }) {
                const names = [
                    ...document.querySelectorAll(`${ACTION} .o_search_panel_category_value[data-name]`),
                ]
                    .map((el) => el.dataset.name)
                    .filter((name) => ["Customers", "Loyalty", "Complaints"].includes(name));
                for (const name of names) {
                    await click(`${ACTION} .o_search_panel_category_value[data-name="${name}"]`);
                    await waitFor(`${ACTION} .o_search_panel_category_value.active[data-name="${name}"]`);
                    await waitFor(LOADED, { timeout: 15000 });
                    if (document.querySelector(`${ACTION} .dashboard-loading-status.error`)) {
                        throw new Error(`crm_care_dashboard_tour: the ${name} dashboard did not load`);
                    }
                    console.info(`crm_care_dashboard_tour: opened ${name}`);
                }
            },
        },
    ],
});
