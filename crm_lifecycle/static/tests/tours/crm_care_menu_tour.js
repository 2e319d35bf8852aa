import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Opens Customer Care, then every section the user sees and, for a section with sub-menus, its first
 * sub-menu, checking each time that a new action view loaded. Sections without any action are hidden by
 * Odoo, so the tour takes the sections from the navbar rather than from a fixed list; it logs
 * "crm_care_menu_tour: opened <section> > <menu>" for each, which tests/test_ui_tour.py checks.
 */
const ROOT = "crm_lifecycle.crm_care_menu_root";

function waitFor(find, what, timeout = 15000) {
    return new Promise((resolve, reject) => {
        const start = Date.now();
        const poll = () => {
            const error = document.querySelector(".o_error_dialog");
            if (error) {
                reject(new Error(`crm_care_menu_tour: error dialog while waiting for ${what}: ${error.innerText}`));
                return;
            }
            const found = find();
            if (found) {
                resolve(found);
            } else if (Date.now() - start > timeout) {
                reject(new Error(`crm_care_menu_tour: timed out waiting for ${what}`));
            } else {
                setTimeout(poll, 50);
            }
        };
        poll();
    });
}

const currentAction = () => document.querySelector(".o_action_manager > .o_action");

registry.category("web_tour.tours").add("crm_care_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Customer Care",
            trigger: `.o_app[data-menu-xmlid="${ROOT}"]`,
            run: "click",
        },
        {
            content: "Customer Care is open",
            trigger: `.o_main_navbar [data-menu-xmlid="${ROOT}"]`,
        },
        {
            content: "Open every visible section and its first menu",
            trigger: ".o_menu_sections",
            async run({ click }) {
                if (document.querySelector(".o_menu_sections_more")) {
                    throw new Error("crm_care_menu_tour: sections overflow into 'More'; widen the tour's browser");
                }
                const sections = [...document.querySelectorAll(".o_menu_sections [data-menu-xmlid]")].map(
                    (el) => el.dataset.menuXmlid
                );
                if (!sections.length) {
                    throw new Error("crm_care_menu_tour: Customer Care shows no section");
                }
                for (const xmlid of sections) {
                    const section = await waitFor(
                        () => document.querySelector(`.o_menu_sections [data-menu-xmlid="${xmlid}"]`),
                        `section ${xmlid}`
                    );
                    let menu = section;
                    if (section.tagName === "BUTTON") {
                        await click(section);
                        menu = await waitFor(
                            () => document.querySelector(".o-dropdown--menu .dropdown-item[data-menu-xmlid]"),
                            `the first menu of ${xmlid}`
                        );
                    }
                    const menuXmlid = menu.dataset.menuXmlid;
                    const before = currentAction();
                    await click(menu);
                    await waitFor(() => currentAction() && currentAction() !== before, `the action of ${menuXmlid}`);
                    console.info(`crm_care_menu_tour: opened ${xmlid} > ${menuXmlid}`);
                }
            },
        },
    ],
});
