from . import controllers
from . import models
from . import report
from . import wizard


def _post_init_hook(env):
    # Give existing customers their tier soon after installation, in the cron's own transaction.
    env.ref("crm_loyalty.ir_cron_loyalty_evaluate_tiers")._trigger()
