from . import business_time
from . import schema
