from . import privacy
