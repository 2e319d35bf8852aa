"""My Account > Communication preferences names the channels in the customer's language (a Chinese-speaking
customer reads 电子邮件, 短信, 电话), over HTTP as a portal user."""

import re

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestCareConsentPortalLanguage(HttpCase):
    def test_channels_are_named_in_the_customer_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_lifecycle"], ["zh_CN"], overwrite=True)
        for login, lang in (("consent_zh", "zh_CN"), ("consent_en", "en_US")):
            mail_new_test_user(self.env, login=login, groups="base.group_portal", password=login, lang=lang)
        shown = {}
        for login in ("consent_zh", "consent_en"):
            self.authenticate(login, login)
            page = self.url_open("/my/consents")
            self.assertEqual(page.status_code, 200)
            # the first cell of each channel's row: its name
            shown[login] = re.findall(r"<tr>\s*<td>([^<]+)</td>", page.text)
        self.assertEqual(shown, {"consent_zh": ["电子邮件", "短信", "电话"], "consent_en": ["Email", "SMS", "Phone"]})
