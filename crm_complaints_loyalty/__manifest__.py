{
    "name": "CRM Care: Complaint Coupons",
    "summary": "Coupon compensations of complaints issued through Odoo's Loyalty coupon generation",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["crm_complaints", "loyalty"],
    "data": [
        "views/crm_complaint_compensation_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
