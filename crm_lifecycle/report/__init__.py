from . import crm_purchase
from . import crm_care_conversion
from . import crm_care_feedback_report
from . import crm_churn_report
from . import crm_care_cohort_report
from . import crm_care_feedback_segment_report
