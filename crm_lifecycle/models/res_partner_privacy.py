import io
import json
import re

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext

PRIVACY_ADDONS = ("crm_lifecycle", "crm_loyalty", "crm_complaints", "crm_lifecycle_pos")
# Contact data of the person, exported as is and cleared by an erasure (those of them the partner model has).
PRIVACY_CONTACT_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "website",
    "function",
    "lang",
    "birthday",
)
# Cleared by an erasure (kept: country and state, which identify nobody and which the reports group by).
PRIVACY_ERASED_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "vat",
    "website",
    "function",
    "comment",
    "ref",
    "company_name",
    "birthday",
    "image_1920",
    "partner_latitude",
    "partner_longitude",
    "churn_reason_note",
)
# CRM Care's judgement of the person (profiling): part of what we hold on them, exported with the contact data.
PRIVACY_PROFILE_FIELDS = (
    "lifecycle_stage_id",
    "lifecycle_stage_date",
    "first_order_date",
    "last_order_date",
    "order_count",
    "total_revenue",
    "average_order_value",
    "customer_lifetime_value",
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_segment",
    "revenue_percentile",
    "satisfaction_score",
    "satisfaction_count",
    "nps_score",
    "nps_category",
    "date_last_feedback",
    "churn_reason_id",
    "churn_reason_note",
    "care_opt_out",
    "consent_email",
    "consent_sms",
    "consent_phone",
)


class ResPartner(models.Model):
    """Privacy on request: export and erasure of what CRM Care holds on a person (PIPL, GDPR).

    Two hooks, extended by each CRM Care addon with its own records (always after/around ``super()``):

    * ``_crm_personal_data()``: ``{section name: [row, ...]}``, each row a dict of JSON values (text,
      numbers, booleans, ISO dates, None) describing one record linked to the person;
    * ``_crm_erase_personal_data()``: anonymise the person's data in the addon's records, keeping the
      anonymous figures (counts, amounts, dates, states) that reports sum;
    * ``_crm_privacy_erasure_blockers()``: translated reasons that forbid an erasure now (open complaint,
      legal hold...): the erasure is refused while there is one.

    "The person" is this partner record: the records whose customer/partner is this partner (a company's
    stage and tier history belongs to the company's own partner record, exported with the company).
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    privacy_legal_hold = fields.Boolean(
        string="Legal Hold",
        copy=False,
        tracking=True,
        groups="crm_lifecycle.group_crm_care_manager",
        help="The person's data must be kept (litigation, audit, legal obligation): erasure on request is refused "
        "while it is set.",
    )

    # ------------------------------------------------------------------
    # Actions (Customer Care managers)
    # ------------------------------------------------------------------

    def _check_crm_privacy_manager(self):
        if not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(self.env._("Only Customer Care managers can export or erase personal data."))

    def action_crm_export_personal_data(self):
        """Button "Export personal data": download the person's file (context key ``crm_privacy_format``:
        "json", the default, or "xlsx") from /crm_care/privacy/export."""
        self._check_crm_privacy_manager()
        self.ensure_one()
        file_format = self.env.context.get("crm_privacy_format") or "json"
        return {
            "type": "ir.actions.act_url",
            "url": f"/crm_care/privacy/export/{self.id}?file_format={file_format}",
            "target": "download",
        }

    def action_crm_erase_personal_data(self):
        """Button "Erase personal data": the confirmation wizard (it lists what forbids the erasure, if any)."""
        self._check_crm_privacy_manager()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Erase personal data"),
            "res_model": "crm.privacy.erase.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------

    def _crm_privacy_export(self, file_format="json", channel="staff"):
        """The person's file and its audit line: (file name, mimetype, content bytes).

        The caller has checked that the current user may have it (a Customer Care manager, or the person
        on the portal); the data is read as superuser. file_format: "json" or "xlsx"; channel: "staff" or
        "portal". Raises UserError for another format."""
        self.ensure_one()
        if file_format not in ("json", "xlsx"):
            raise UserError(self.env._("Personal data can be exported as JSON or Excel (xlsx) only."))
        # sudo: the caller checked the right to this person's data; CRM Care's records are read in full.
        person = self.sudo()
        data = person._crm_personal_data()
        if file_format == "json":
            content, mimetype = _privacy_json(person, data), "application/json"
        else:
            content = _privacy_xlsx(data, person._crm_personal_data_sheets(), person.env)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.env["crm.privacy.log"]._log(person, "export", channel, data, file_format)
        return f"personal-data-{person.id}.{file_format}", mimetype, content

    def _crm_personal_data_sheets(self):
        """How the Excel file names the sections of `_crm_personal_data` and their columns, in the reader's
        language (the environment's: the person's own on the portal, the manager's in the back end):
        {section: (sheet title, model whose field labels head the columns or None, {key: column title} for keys
        that are no field of that model)}. Addons add their sections (call super, then update the dict)."""
        return {
            "contact": (self.env._("Contact"), "res.partner", {}),
            "profile": (self.env._("Customer Profile"), "res.partner", {}),
            "stage_history": (self.env._("Stage History"), "crm.lifecycle.history", {}),
            "segments": (self.env._("Segments"), "crm.segment.member", {}),
            "consents": (self.env._("Consents"), "crm.consent", {}),
            "care_touches": (
                self.env._("Care Touches"),
                "crm.care.touch",
                {"content": self.env._("Content"), "survey_answers": self.env._("Survey Answers")},
            ),
        }

    def _crm_personal_data(self):
        """{section name: [row dict, ...]}: everything CRM Care holds on this person (one partner, read as
        superuser by the caller). Addons add their sections (call super, then update the dict)."""
        self.ensure_one()
        partner = self
        contact = _privacy_row(partner, [name for name in PRIVACY_CONTACT_FIELDS if name in partner._fields])
        profile = _privacy_row(partner, [name for name in PRIVACY_PROFILE_FIELDS if name in partner._fields])
        history = self.env["crm.lifecycle.history"].search([("partner_id", "=", partner.id)], order="date, id")
        touches = self.env["crm.care.touch"].search([("partner_id", "=", partner.id)], order="date_planned, id")
        memberships = self.env["crm.segment.member"].search([("partner_id", "=", partner.id)], order="id")
        consents = self.env["crm.consent"].search([("partner_id", "=", partner.id)], order="date, id")
        return {
            "contact": [contact],
            "profile": [profile],
            "stage_history": [
                _privacy_row(row, ["date", "from_stage_id", "to_stage_id", "reason", "order_id", "churn_reason_id"])
                for row in history
            ],
            "segments": [_privacy_row(row, ["segment_id", "date_entered", "date_left"]) for row in memberships],
            "consents": [
                _privacy_row(row, ["date", "channel", "state", "source", "user_id", "note"]) for row in consents
            ],
            "care_touches": [
                {
                    **_privacy_row(
                        touch, ["campaign_id", "step_id", "action", "date_planned", "state", "reason", "date_done"]
                    ),
                    "content": html2plaintext(touch.mail_message_id.body or "") or None,
                    "survey_answers": _privacy_survey_answers(touch.survey_user_input_id),
                }
                for touch in touches
            ],
        }

    # ------------------------------------------------------------------
    # Erasure
    # ------------------------------------------------------------------

    def _crm_privacy_erase(self, channel="staff"):
        """Anonymise this person in CRM Care (see `_crm_erase_personal_data`) and log it. The caller has
        checked the right to do it; raises UserError (translated) with every reason while the erasure is
        forbidden."""
        self.ensure_one()
        # sudo: a manager's erasure reaches every CRM Care record of the person (other users' complaints too).
        person = self.sudo()
        blockers = person._crm_privacy_erasure_blockers()
        if blockers:
            raise UserError(
                self.env._("The personal data of %(partner)s cannot be erased now:", partner=person.display_name)
                + "\n- "
                + "\n- ".join(blockers)
            )
        summary = {name: len(rows) for name, rows in person._crm_personal_data().items()}
        person._crm_erase_personal_data()
        self.env["crm.privacy.log"]._log(person, "erasure", channel, summary)
        return True

    def _crm_privacy_erasure_blockers(self):
        """[translated reason, ...] that forbid erasing this person now (empty: allowed). Addons add theirs."""
        self.ensure_one()
        blockers = []
        if self.privacy_legal_hold:
            blockers.append(self.env._("a legal hold is set on the contact."))
        if self.user_ids.filtered(lambda user: not user.share):
            blockers.append(self.env._("the contact is an internal user (archive the user and remove it first)."))
        return blockers

    def _crm_erase_personal_data(self):
        """Anonymise this person (superuser) in CRM Care, keeping the anonymous figures.

        crm_lifecycle: the partner (name "Anonymised customer #<id>", contact data, address, birthday,
        notes, picture cleared; country and state kept), the notes of its consent history (the consent states
        stay), its portal user's login (archived), the messages and
        tracked values of its chatter, the rendered content of its care touches (emails, activities, errors),
        the free-text answers of the surveys of its care touches, the rating feedback it gave on CRM Care
        records and the messages it wrote on them. Addons anonymise their records after super()."""
        self.ensure_one()
        partner = self
        touches = self.env["crm.care.touch"].search([("partner_id", "=", partner.id)])
        our_models = self._crm_privacy_models()
        # The emails of its care touches (wherever posted) and what it wrote on CRM Care records.
        messages = touches.mail_message_id | self.env["mail.message"].search(
            [("author_id", "=", partner.id), ("model", "in", our_models)]
        )
        messages._crm_privacy_erase()
        touches.activity_id.write({"note": False, "summary": False})
        touches.write({"error_message": False})
        # The consent history stays (the states are the proof of what was allowed), its free texts go.
        self.env["crm.consent"].search([("partner_id", "=", partner.id), ("note", "!=", False)]).write({"note": False})
        answers = touches.survey_user_input_id
        answers.user_input_line_ids.filtered(lambda line: line.answer_type in ("char_box", "text_box")).write(
            {"value_char_box": False, "value_text_box": False}
        )
        answers.write({"email": False, "nickname": False})
        ratings = self.env["rating.rating"].search([("partner_id", "=", partner.id), ("res_model", "in", our_models)])
        ratings.write({"feedback": False})
        ratings._compute_res_name()  # the rated records' names may have just been anonymised
        for user in partner.user_ids.filtered("share"):
            user.write({"login": f"__erased_user_{user.id}", "password": "", "signature": False, "active": False})
        values = {name: False for name in PRIVACY_ERASED_FIELDS if name in partner._fields}
        values["name"] = self.env._("Anonymised customer #%(id)s", id=partner.id)
        # The lock reasons are the only free texts a locked stage or tier needs: they are replaced, not cleared.
        if partner.lifecycle_lock_reason:
            values["lifecycle_lock_reason"] = self.env._("Erased on request")
        partner.with_context(tracking_disable=True, mail_notrack=True).write(values)
        # The partner's chatter: written just now (tracking disabled) or before; bodies and tracked values go.
        self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )._crm_privacy_erase()

    @api.model
    def _crm_privacy_models(self):
        """Names of CRM Care's own models (declared, not only extended, by our addons): the records whose
        messages, ratings and texts an erasure reaches."""
        rows = self.env.execute_query(
            SQL(
                """SELECT m.model FROM ir_model m JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
                    WHERE d.module IN %s AND NOT m.transient""",
                PRIVACY_ADDONS,
            )
        )
        return [
            model
            for (model,) in rows
            if model in self.env
            and not self.env[model]._abstract
            and self.env[model]._original_module in PRIVACY_ADDONS
        ]


def _privacy_value(record, name):
    """The JSON value of field `name` of `record`: display names for relations, ISO text for dates, plain
    text for HTML, None for empty values (a boolean stays a boolean)."""
    field = record._fields[name]
    value = record[name]
    if field.type == "boolean":
        return bool(value)
    if field.type == "many2one":
        return value.display_name or None
    if field.type in ("one2many", "many2many"):
        return ", ".join(value.mapped("display_name")) or None
    if field.type == "selection":
        return dict(field._description_selection(record.env)).get(value) if value else None
    if field.type in ("date", "datetime"):
        return value.isoformat() if value else None
    if field.type == "html":
        return html2plaintext(value or "") or None
    if field.type == "binary":
        return None
    if value is False and field.type not in ("integer", "float", "monetary"):
        return None
    return value


def _privacy_row(record, names):
    return {name: _privacy_value(record, name) for name in names}


def _privacy_survey_answers(answer):
    """[{question, answer}] of a survey answer (the person's own words and choices)."""
    rows = []
    for line in answer.user_input_line_ids:
        value = line.value_text_box if line.answer_type == "text_box" else line.display_name
        rows.append({"question": line.question_id.title, "answer": str(value) if value else None})
    return rows


def _privacy_json(partner, data):
    document = {"partner_id": partner.id, "generated": fields.Datetime.now().isoformat(), "sections": data}
    return json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()


def _privacy_xlsx(data, sheets, env):
    """One worksheet per section, named by its title in `sheets` (see `_crm_personal_data_sheets`): a header row
    (the labels of its keys: field labels in `env`'s language, else the section's own titles, else the key), then
    one row per record."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    used = set()
    for section, rows in data.items():
        title, model, titles = sheets.get(section, (section, None, {}))
        # Excel: at most 31 characters, none of []:*?/\, unique (case-insensitive)
        name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
        if name.lower() in used:
            name = section[:31]
        used.add(name.lower())
        sheet = workbook.add_worksheet(name)
        model_fields = env[model]._fields if model else {}
        columns = list(dict.fromkeys(key for row in rows for key in row))
        for col, key in enumerate(columns):
            label = titles.get(key) or (model_fields[key]._description_string(env) if key in model_fields else key)
            sheet.write(0, col, label, bold)
        for line, row in enumerate(rows, start=1):
            for col, key in enumerate(columns):
                value = row.get(key)
                sheet.write(line, col, value if isinstance(value, (int, float, str)) or value is None else str(value))
    workbook.close()
    return stream.getvalue()
