from . import crm_purchase
from . import pos_order
