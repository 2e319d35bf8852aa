from . import business_time
from . import schema
from . import spreadsheet_translation
from . import customer_lang
