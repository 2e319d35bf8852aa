import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * A care manager builds an after-order campaign with two steps in the UI: a thank-you email the day
 * after each order, then a follow-up visit a week later. tests/test_care_tour.py checks what was saved.
 */
registry.category("web_tour.tours").add("crm_care_campaign_tour", {
    url: "/odoo/action-crm_lifecycle.crm_care_campaign_action",
    steps: () => [
        {
            content: "Create a campaign",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour follow-up",
        },
        {
            content: "Trigger it after each order",
            trigger: ".o_field_widget[name=kind] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(After Each Order)",
            run: "click",
        },
        {
            content: "Add the first step",
            trigger: ".o_field_widget[name=step_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The step is an email",
            trigger: ".modal .o_field_widget[name=action] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Send an email)",
            run: "click",
        },
        {
            content: "Sent the day after the order",
            trigger: ".modal .o_field_widget[name=delay_days] input",
            run: "edit 1",
        },
        {
            content: "With the thank-you template",
            trigger: ".modal .o_field_widget[name=mail_template_id] input",
            run: "edit Thank you",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Care: Thank you for your order)",
            run: "click",
        },
        {
            content: "Save the step and add another",
            trigger: ".modal .o_form_button_save_new",
            run: "click",
        },
        {
            content: "The second step is an activity",
            trigger: ".modal .o_field_widget[name=action] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Schedule an activity)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=delay_days] input",
            run: "edit 7",
        },
        {
            content: "A follow-up visit",
            trigger: ".modal .o_field_widget[name=activity_type_id] input",
            run: "edit Follow-up",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Follow-up visit)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=activity_summary] input",
            run: "edit Visit the customer",
        },
        {
            content: "Save the second step",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Both steps are listed",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=step_ids] .o_data_row:eq(1)",
        },
        ...stepUtils.saveForm(),
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
