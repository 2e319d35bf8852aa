from . import crm_purchase
from . import crm_care_conversion
