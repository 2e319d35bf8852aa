import { registry } from "@web/core/registry";

/**
 * An administrator opens Settings, then the Customer Care page (Customer Lifecycle, Care Campaigns,
 * Membership Tiers, Complaints) and saves it unchanged: no warning may show on the way (an onchange warning
 * dialog, a notification, a warning banner). crm_complaints/tests/test_settings_no_warning.py loads the demo
 * data first.
 */
function assertNoWarning(where) {
    const notifications = [...document.querySelectorAll(".o_notification")].map((el) => el.innerText);
    const dialogs = [...document.querySelectorAll(".modal .modal-content")].map((el) => el.innerText);
    const banners = [...document.querySelectorAll(".o_form_view .alert-warning, .o_form_view .alert-danger")]
        .filter((el) => el.offsetParent)
        .map((el) => el.innerText);
    const found = [...notifications, ...dialogs, ...banners];
    if (found.length) {
        throw new Error(`crm_care_settings_tour: warning ${where}: ${found.join(" | ")}`);
    }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

registry.category("web_tour.tours").add("crm_care_settings_tour", {
    url: "/odoo/settings",
    steps: () => [
        {
            content: "Settings open",
            trigger: ".o_settings_container",
            async run() {
                await pause(500); // an onchange warning opens its dialog right after the first onchange
                assertNoWarning("on opening Settings");
            },
        },
        {
            content: "Open Customer Care",
            trigger: '.settings_tab .tab[data-key="crm_lifecycle"]',
            run: "click",
        },
        {
            content: "Every Customer Care section shows (Lifecycle, Campaigns, Tiers, Complaints), without warning",
            trigger: '.app_settings_block[data-key="crm_lifecycle"] .o_settings_container',
            async run() {
                const block = '.app_settings_block[data-key="crm_lifecycle"]';
                const sections = document.querySelectorAll(`${block} h2`).length;
                if (sections < 4) {
                    throw new Error(`crm_care_settings_tour: ${sections} Customer Care sections, expected 4 or more`);
                }
                await pause(500);
                assertNoWarning("on the Customer Care page");
            },
        },
        {
            content: "Save unchanged: Settings reload the page",
            trigger: ".o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved: the page reloads without warning",
            trigger: ".o_settings_container",
            async run() {
                await pause(1000);
                assertNoWarning("after saving");
            },
        },
    ],
});
