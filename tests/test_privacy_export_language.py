"""The Excel file of a person's data is for people: its sheets and columns are named in the reader's language
(a Chinese-speaking customer downloading their own data from My Account reads Chinese titles and field labels),
while the JSON file keeps its technical keys (tests/test_privacy_requests.py)."""

import io

import openpyxl
from conftest import ADDONS
from test_privacy_requests import PrivacyCase

from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPrivacyExportLanguage(PrivacyCase):
    def test_excel_sheets_and_columns_in_the_customer_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(ADDONS, ["zh_CN"], overwrite=True)
        self.users["alice"].lang = "zh_CN"
        self.authenticate("alice", "alice-pw-2026")
        response = self.url_open("/my/personal_data/download?file_format=xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        english = {"Contact", "Stage History", "Care Touches", "Tier History", "Points History", "Complaints"}
        self.assertFalse(english & set(workbook.sheetnames), workbook.sheetnames)
        self.assertLessEqual(
            {"联系人", "阶段历史", "关怀触达", "等级历史", "积分历史", "投诉"}, set(workbook.sheetnames)
        )
        headers = {name: [cell.value for cell in workbook[name][1]] for name in workbook.sheetnames}
        self.assertIn("原阶段", headers["阶段历史"])
        self.assertNotIn("from_stage_id", headers["阶段历史"])
        self.assertIn("内容", headers["关怀触达"])
        self.assertIn("投诉", headers["投诉消息"])
