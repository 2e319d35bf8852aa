from . import test_complaint_merge
from . import test_complaint_reference_year
from . import test_compensation_coupon
from . import test_compensation_deletion
from . import test_followup_time_zone
from . import test_sla_business_time_zone
from . import test_sla_team_calendar_change
from . import test_stage_state_change
