from . import business_time
from . import schema
from . import customer_lang
