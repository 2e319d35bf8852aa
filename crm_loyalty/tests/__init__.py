from . import test_loyalty_benefits
from . import test_loyalty_config
from . import test_loyalty_coupon_step
from . import test_loyalty_expiry
from . import test_loyalty_performance
from . import test_loyalty_portal
from . import test_loyalty_run
from . import test_loyalty_tiers
