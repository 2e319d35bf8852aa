from . import crm_loyalty_lock_wizard
from . import base_partner_merge_automatic_wizard
from . import crm_loyalty_setup_wizard
