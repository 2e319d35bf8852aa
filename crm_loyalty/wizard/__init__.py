from . import crm_loyalty_lock_wizard
