from . import test_followup_time_zone
