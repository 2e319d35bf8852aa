{
    "name": "CRM Care: Customer Lifecycle",
    "summary": "Customer lifecycle stages, RFM scores, lifetime value, segments and care campaigns",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["sale_crm", "sale_management", "mail", "base_automation", "survey"],
    "data": [
        "security/crm_lifecycle_security.xml",
        "views/crm_lifecycle_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_lifecycle/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
