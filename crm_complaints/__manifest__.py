{
    "name": "CRM Care: Complaints",
    "summary": "Complaint handling with SLA on working hours, escalation, compensation and follow-up",
    "version": "19.0.1.0.1",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["crm_lifecycle", "rating", "portal", "resource", "sale", "loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_complaints_security.xml",
        "data/crm_complaint_data.xml",
        "data/mail_template_data.xml",
        "views/crm_complaint_views.xml",
        "views/crm_complaint_config_views.xml",
        "views/crm_complaint_report_views.xml",
        "views/crm_care_touch_views.xml",
        "views/crm_complaint_portal_templates.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_complaints_menus.xml",
    ],
    "demo": [
        "data/crm_complaints_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_complaints/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
