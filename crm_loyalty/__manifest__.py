{
    "name": "CRM Care: Loyalty Tiers",
    "summary": "Membership tiers with upgrade and downgrade rules and benefits, on Odoo's Loyalty app",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["crm_lifecycle", "loyalty", "sale_loyalty"],
    "data": [],
    "installable": True,
}
