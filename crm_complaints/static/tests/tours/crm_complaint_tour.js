import { registry } from "@web/core/registry";

/**
 * A Customer Care user logs a complaint for a customer by phone, then resolves it with its root cause:
 * the complaint ends in the Resolved stage (crm_complaints/tests/test_tour.py checks the record).
 */
registry.category("web_tour.tours").add("crm_complaint_tour", {
    url: "/odoo/action-crm_complaints.crm_complaint_action",
    steps: () => [
        {
            content: "The complaints kanban is grouped by stage",
            trigger: ".o_kanban_renderer .o_kanban_group",
        },
        {
            content: "Log a new complaint",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "Say what went wrong",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Lamp arrived broken on tour",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Tour Customer)",
            run: "click",
        },
        {
            content: "Save: the complaint gets its reference and deadlines",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: ".o_field_widget[name=name]:contains(CMP/)",
        },
        {
            content: "Open the resolution tab",
            trigger: ".o_notebook .nav-link[name=resolution]",
            run: "click",
        },
        {
            content: "Choose the root cause",
            trigger: ".o_field_widget[name=cause_id] input",
            run: "edit Delivery",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Delivery delay)",
            run: "click",
        },
        {
            content: "Describe the resolution",
            trigger: ".o_field_widget[name=resolution] .odoo-editor-editable",
            run: "editor We sent a new lamp with our apologies.",
        },
        {
            content: "Resolve",
            trigger: ".o_form_statusbar button[name=action_resolve]",
            run: "click",
        },
        {
            content: "The complaint is resolved",
            trigger: ".o_field_widget[name=stage_id] .o_arrow_button_current:contains(Resolved)",
        },
    ],
});
