from . import complaint_attachment
