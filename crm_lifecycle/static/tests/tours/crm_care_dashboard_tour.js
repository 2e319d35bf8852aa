import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Opens Customer Care (its first screen is the Customer Care > Reporting > Overview dashboard), then every
 * dashboard of the "Customer Care" group (Customers, and Loyalty and Complaints when their addons are
 * installed), waiting each time for the spreadsheet to render and its data to load: no cell may be in error
 * (a pivot on a wrong field, a spilled table running into another one...). It logs the values of the Data
 * sheet ("crm_care_dashboard_tour: <dashboard> <cell> = <value>"), which the Python test compares with the
 * figures it computes.
 */
const ROOT = "crm_lifecycle.crm_care_menu_root";
const ACTION = ".o_spreadsheet_dashboard_action";
const LOADED = `${ACTION} .o_renderer .o-spreadsheet`;

/** The evaluated cells of the active dashboard once its data is loaded: {sheet name: [[xc, cell]]}. */
async function loadedCells(name) {
    const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
    const start = Date.now();
    for (;;) {
        const model = loader.getActiveDashboard()?.model;
        if (model) {
            const cells = {};
            let loading = false;
            for (const sheetId of model.getters.getSheetIds()) {
                const sheetName = model.getters.getSheetName(sheetId);
                cells[sheetName] = [];
                for (const position of model.getters.getEvaluatedCellsPositions(sheetId)) {
                    const cell = model.getters.getEvaluatedCell(position);
                    loading ||= cell.type === "error" && cell.value === "Loading...";
                    cells[sheetName].push([`${position.col},${position.row}`, cell]);
                }
            }
            if (!loading) {
                return cells;
            }
        }
        if (Date.now() - start > 20000) {
            throw new Error(`crm_care_dashboard_tour: the ${name} dashboard's data never loaded`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

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
                    const cells = await loadedCells(name);
                    for (const [sheetName, sheetCells] of Object.entries(cells)) {
                        for (const [xc, cell] of sheetCells) {
                            if (cell.type === "error") {
                                throw new Error(
                                    `crm_care_dashboard_tour: ${name} ${sheetName} (${xc}): ${cell.value} ${cell.message}`
                                );
                            }
                        }
                    }
                    for (const [xc, cell] of cells.Data || []) {
                        if (xc.startsWith("1,")) {
                            console.info(`crm_care_dashboard_tour: ${name} Data!${xc} = ${cell.value}`);
                        }
                    }
                    console.info(`crm_care_dashboard_tour: opened ${name}`);
                }
            },
        },
    ],
});
