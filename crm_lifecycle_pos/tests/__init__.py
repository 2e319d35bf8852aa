from . import test_pos_purchases
from . import test_pos_bad_input
from . import test_pos_performance
