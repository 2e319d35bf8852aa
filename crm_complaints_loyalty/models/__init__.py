from . import crm_complaint_compensation
