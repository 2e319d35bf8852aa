from . import portal_consent
