from . import portal_consent
from . import privacy
