from . import base_partner_merge_automatic_wizard
from . import crm_lifecycle_lock_wizard
from . import crm_lifecycle_lost_wizard
from . import base_partner_merge_consent
from . import crm_privacy_erase_wizard
