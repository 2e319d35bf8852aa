{
    "name": "CRM Care: Point of Sale Purchases",
    "summary": "Point of Sale orders count as purchases in CRM Care (lifecycle, value, tiers)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["crm_lifecycle", "point_of_sale"],
    "data": [],
    "auto_install": True,
    "installable": True,
}
