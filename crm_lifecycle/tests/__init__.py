from . import test_lifecycle_stages
from . import test_lifecycle_metrics
from . import test_lifecycle_refresh
from . import test_lifecycle_lock
from . import test_lifecycle_settings
from . import test_lifecycle_performance
from . import test_segment
from . import test_lifecycle_concurrency
