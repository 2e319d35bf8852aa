from . import controllers
from . import models
from . import report
from . import tools
from . import wizard


def _post_init_hook(env):
    # Classify existing customers soon after installation, in the cron's own transaction.
    env.ref("crm_lifecycle.ir_cron_lifecycle_refresh")._trigger()
