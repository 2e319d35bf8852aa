{
    "name": "CRM Care: Complaints",
    "summary": "Complaint handling with SLA on working hours, escalation, compensation and follow-up",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Care",
    "website": "https://github.com/crm-care/crm-care",
    "license": "LGPL-3",
    "depends": ["crm_lifecycle", "rating", "portal", "resource"],
    "data": [],
    "installable": True,
}
