from . import test_complaint_merge
