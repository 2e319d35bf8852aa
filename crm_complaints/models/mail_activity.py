from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a follow-up visit done records its feedback as the complaint's follow-up result."""
        followup_type = self.env.ref("crm_complaints.mail_activity_type_complaint_followup", raise_if_not_found=False)
        results = {
            activity.res_id: feedback
            for activity in self
            if followup_type and activity.activity_type_id == followup_type and activity.res_model == "crm.complaint"
        }
        messages, next_activities = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        for complaint in self.env["crm.complaint"].sudo().browse(list(results)).exists():
            complaint.followup_result = results[complaint.id] or self.env._("Visit done.")
        return messages, next_activities
