from . import test_readme_reports
