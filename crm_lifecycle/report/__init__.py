from . import crm_care_conversion
