from . import crm_care_feedback_report
