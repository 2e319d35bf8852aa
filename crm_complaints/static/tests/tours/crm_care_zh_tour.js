import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The Chinese-speaking customer-service agent of the demo (客服, interface in zh_CN) opens Customer Care,
 * its customers, then All Complaints as a list and one complaint: menus, a list column and a form tab are
 * in Chinese (crm_complaints/tests/test_care_zh_tour.py loads Chinese for the addons first).
 */
const ROOT = "crm_lifecycle.crm_care_menu_root";

registry.category("web_tour.tours").add("crm_care_zh_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "The app is called 客户关怀",
            trigger: `.o_app[data-menu-xmlid="${ROOT}"]:contains(客户关怀)`,
            run: "click",
        },
        {
            content: "The navbar shows the app and its sections in Chinese",
            trigger: `.o_main_navbar .o_menu_brand:contains(客户关怀)`,
        },
        {
            trigger: `.o_menu_sections [data-menu-xmlid="crm_lifecycle.crm_care_menu_customers"]:contains(客户)`,
            run: "click",
        },
        {
            content: "Customers: the sub-menu in Chinese",
            trigger: `.o-dropdown--menu [data-menu-xmlid="crm_lifecycle.crm_lifecycle_customer_menu"]:contains(客户)`,
            run: "click",
        },
        {
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            content: "Complaints section: 投诉",
            trigger: `.o_menu_sections [data-menu-xmlid="crm_lifecycle.crm_care_menu_complaints"]:contains(投诉)`,
            run: "click",
        },
        {
            trigger: `.o-dropdown--menu [data-menu-xmlid="crm_complaints.crm_complaint_menu"]:contains(全部投诉)`,
            run: "click",
        },
        {
            content: "The complaints open in their kanban; switch to the list",
            trigger: ".o_kanban_view .o_kanban_record:contains(快递延误三天)",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "List columns in Chinese",
            trigger: ".o_list_view th[data-name=subject]:contains(主题)",
        },
        {
            trigger: ".o_list_view th[data-name=sla_status]:contains(SLA 状态)",
        },
        {
            content: "Open the complaint",
            trigger: ".o_data_row td[name=subject]:contains(快递延误三天)",
            run: "click",
        },
        {
            content: "Form tabs in Chinese",
            trigger: ".o_form_view .o_notebook .nav-link[name=resolution]:contains(解决方案)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link.active[name=resolution]",
        },
    ],
});
