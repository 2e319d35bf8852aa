from . import (
    crm_complaint_stage,
    crm_complaint_category,
    crm_complaint_cause,
    crm_complaint_team,
    crm_complaint_sla,
    crm_complaint,
    crm_complaint_compensation,
    mail_activity,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
)
