import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Opens Customer Care (its first screen is the Customers dashboard), then every dashboard of the same group
 * of the Dashboards app, whatever the user's language names them, and logs the texts the first sheet shows
 * once its data is loaded ("crm_care_dashboard_texts: <dashboard id> <col>,<row> = <JSON text>"): titles,
 * pivot names (the top-left cell of each pivot table), pivot headers. The Python test checks their language.
 */
const ROOT = "crm_lifecycle.crm_care_menu_root";
const ACTION = ".o_spreadsheet_dashboard_action";
const LOADED = `${ACTION} .o_renderer .o-spreadsheet`;

async function shownTexts(loader) {
    const start = Date.now();
    for (;;) {
        const model = loader.getActiveDashboard()?.model;
        if (model) {
            const sheetId = model.getters.getSheetIds()[0];
            const texts = [];
            let loading = false;
            for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
                const cell = model.getters.getEvaluatedCell(position);
                loading ||= cell.type === "error" && cell.value === "Loading...";
                if (typeof cell.value === "string" && cell.value) {
                    texts.push([`${position.col},${position.row}`, cell.value]);
                }
            }
            if (!loading) {
                return texts;
            }
        }
        if (Date.now() - start > 20000) {
            throw new Error("crm_care_dashboard_texts: a dashboard's data never loaded");
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

registry.category("web_tour.tours").add("crm_care_dashboard_texts_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: `.o_app[data-menu-xmlid="${ROOT}"]`,
            run: "click",
        },
        {
            content: "Customer Care opens on a dashboard",
            trigger: `${ACTION} .o_search_panel_category_value.active`,
        },
        {
            content: "Open each dashboard of its group and log the texts shown",
            trigger: LOADED,
            async run({ click, waitFor }) {
                const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
                const section = document.querySelector(`${ACTION} .o_search_panel_category_value.active`).closest("section");
                const count = section.querySelectorAll(".o_search_panel_category_value").length;
                for (let index = 0; index < count; index++) {
                    const item = `${ACTION} section:has(li.active) .o_search_panel_category_value:nth-child(${index + 1})`;
                    await click(item);
                    await waitFor(`${item}.active`);
                    await waitFor(LOADED, { timeout: 15000 });
                    const dashboardId = loader.getActiveDashboard().data.id;
                    for (const [xc, text] of await shownTexts(loader)) {
                        console.info(`crm_care_dashboard_texts: ${dashboardId} ${xc} = ${JSON.stringify(text)}`);
                    }
                    console.info(`crm_care_dashboard_texts: opened ${dashboardId}`);
                }
            },
        },
    ],
});
