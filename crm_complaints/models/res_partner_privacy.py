from markupsafe import Markup

from odoo import models
from odoo.tools import html2plaintext

from odoo.addons.crm_lifecycle.models.res_partner_privacy import _privacy_row

from .crm_complaint_stage import OPEN_STATES

# Compensations not settled yet: they forbid an erasure like an open complaint.
OPEN_COMPENSATION_STATES = ("draft", "to_approve", "approved")


class ResPartner(models.Model):
    """Privacy on request (see crm_lifecycle's res_partner_privacy): the person's complaints, their messages
    and ratings, and their compensations."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _crm_privacy_complaints(self):
        return self.env["crm.complaint"].with_context(active_test=False).search([("partner_id", "=", self.id)])

    def _crm_personal_data_sheets(self):
        sheets = super()._crm_personal_data_sheets()
        sheets["complaints"] = (self.env._("Complaints"), "crm.complaint", {})
        sheets["complaint_messages"] = (
            self.env._("Complaint Messages"),
            "mail.message",
            {"complaint": self.env._("Complaint"), "author": self.env._("Author"), "body": self.env._("Message")},
        )
        sheets["complaint_ratings"] = (
            self.env._("Complaint Ratings"),
            "rating.rating",
            {"complaint": self.env._("Complaint"), "rating": self.env._("Rating"), "feedback": self.env._("Feedback")},
        )
        sheets["compensations"] = (self.env._("Compensations"), "crm.complaint.compensation", {})
        return sheets

    def _crm_personal_data(self):
        data = super()._crm_personal_data()
        complaints = self._crm_privacy_complaints()
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "crm.complaint"),
                ("res_id", "in", complaints.ids),
                ("message_type", "in", ("email", "comment", "email_outgoing")),
            ],
            order="date, id",
        )
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "in", complaints.ids), ("consumed", "=", True)]
        )
        data["complaints"] = [
            _privacy_row(
                complaint,
                [
                    "name",
                    "subject",
                    "create_date",
                    "channel",
                    "category_id",
                    "state",
                    "sale_order_id",
                    "product_id",
                    "email_from",
                    "phone",
                    "description",
                    "resolution",
                    "resolved_date",
                    "closed_date",
                ],
            )
            for complaint in complaints
        ]
        data["complaint_messages"] = [
            {
                "complaint": self.env["crm.complaint"].browse(message.res_id).name,
                "date": message.date.isoformat(),
                "author": message.author_id.display_name or message.email_from or None,
                "subject": message.subject or None,
                "body": html2plaintext(message.body or "") or None,
            }
            for message in messages
        ]
        data["complaint_ratings"] = [
            {"complaint": rating.res_name, "rating": rating.rating, "feedback": rating.feedback or None}
            for rating in ratings
        ]
        data["compensations"] = [
            _privacy_row(row, ["complaint_id", "kind", "amount", "description", "state", "coupon_code"])
            for row in complaints.compensation_ids
        ]
        return data

    def _crm_privacy_erasure_blockers(self):
        blockers = super()._crm_privacy_erasure_blockers()
        complaints = self._crm_privacy_complaints()
        open_complaints = complaints.filtered(lambda complaint: complaint.state in OPEN_STATES)
        if open_complaints:
            blockers.append(
                self.env._("complaints still open: %(names)s.", names=", ".join(open_complaints.mapped("name")))
            )
        open_compensations = complaints.compensation_ids.filtered(lambda row: row.state in OPEN_COMPENSATION_STATES)
        if open_compensations:
            blockers.append(
                self.env._(
                    "compensations not settled (draft, to approve or approved) on complaints: %(names)s.",
                    names=", ".join(open_compensations.complaint_id.mapped("name")),
                )
            )
        return blockers

    def _crm_erase_personal_data(self):
        """Also: the person's complaints (subject, contact data, description, resolution, follow-up result),
        every message of their chatter and of their compensations' chatter, their ratings' feedback and the
        compensations' descriptions. References, states, dates, amounts and counts stay."""
        result = super()._crm_erase_personal_data()
        complaints = self._crm_privacy_complaints()
        compensations = complaints.compensation_ids
        self.env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "crm.complaint"),
                ("res_id", "in", complaints.ids),
                "&",
                ("model", "=", "crm.complaint.compensation"),
                ("res_id", "in", compensations.ids),
            ]
        )._crm_privacy_erase()
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)]
        )
        ratings.write({"feedback": False})
        compensations.write({"description": False})
        complaints.with_context(tracking_disable=True, mail_notrack=True).write(
            {
                "subject": self.env._("Anonymised complaint"),
                "email_from": False,
                "phone": False,
                "description": False,
                # a resolved or closed complaint must keep a resolution: a placeholder replaces it
                "resolution": Markup("<p>%s</p>") % self.env._("Erased on request"),
                "followup_result": False,
            }
        )
        ratings._compute_res_name()  # the complaint's name (reference and subject) as the rating shows it
        return result
