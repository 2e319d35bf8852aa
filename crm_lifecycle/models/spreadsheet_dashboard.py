import json

from odoo import models
from odoo.tools.translate import code_translations

from ..tools.spreadsheet_translation import translate_spreadsheet


class SpreadsheetDashboard(models.Model):
    _inherit = "spreadsheet.dashboard"

    def _get_serialized_readonly_dashboard(self):
        """The dashboard as the Dashboards app opens it (JSON text: snapshot, revisions, default currency,
        translation namespace); a dashboard of the Customer Care group comes in the reader's language: every
        visible text of its spreadsheet (titles, `_t` cells, chart titles, pivot and list names: see
        `translate_spreadsheet`) translated with its addon's `odoo-javascript` terms, the terms the web client
        translates spreadsheets with, in the user's language (`self.env.lang`). Texts without a translation,
        and every text for an English reader, stay as in the file."""
        serialized = super()._get_serialized_readonly_dashboard()
        module = self._get_dashboard_translation_namespace()
        lang = self.env.lang
        if not module or not lang or lang == "en_US" or not self._is_crm_care_dashboard():
            return serialized
        translations = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations(module, lang)["messages"]
        }
        if not translations:
            return serialized
        dashboard = json.loads(serialized)
        translate_spreadsheet(dashboard["snapshot"], lambda text: translations.get(text) or text)
        return json.dumps(dashboard)

    def _is_crm_care_dashboard(self):
        """Whether this dashboard is one of the Customer Care group of the Dashboards app (CRM Care's own)."""
        group = self.env.ref("crm_lifecycle.crm_care_dashboard_group", raise_if_not_found=False)
        return bool(group) and self.sudo().dashboard_group_id == group
