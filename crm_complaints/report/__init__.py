from . import crm_complaint_cause_report, crm_complaint_report
from . import crm_churn_report
from . import crm_complaint_product_report
