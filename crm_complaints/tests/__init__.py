from . import test_complaint_merge
from . import test_compensation_coupon
