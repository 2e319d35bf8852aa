from odoo import api, fields, models
from odoo.exceptions import ValidationError

STEP_ACTIONS = [
    ("email", "Send an email"),
    ("sms", "Send an SMS"),
    ("activity", "Schedule an activity"),
    ("add_tag", "Add a tag"),
    ("remove_tag", "Remove a tag"),
    ("assign_salesperson", "Assign a salesperson"),
    ("create_opportunity", "Create an opportunity"),
    ("survey", "Send a survey"),
]


class CrmCareStep(models.Model):
    """What a campaign does for a customer, delay_days after the campaign's trigger.

    Each action is carried out by crm.care.touch's `_care_execute_<action>` method; another addon adds an
    action with `selection_add` and that method.
    """

    _name = "crm.care.step"
    _description = "Care Campaign Step"
    _order = "campaign_id, sequence, delay_days, id"
    _check_company_auto = True

    campaign_id = fields.Many2one("crm.care.campaign", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        help="An archived (retired) step plans no more touches; its planned touches are skipped as retired.",
    )
    name = fields.Char(compute="_compute_name")
    delay_days = fields.Integer(
        string="Delay (days)",
        default=0,
        help="Days after the trigger: the date (minus the campaign's lead days), the order, the stage or "
        "segment change.",
    )
    action = fields.Selection(STEP_ACTIONS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template", string="Email Template", domain=[("model", "=", "res.partner")], ondelete="restrict"
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS Template", domain=[("model", "=", "res.partner")], ondelete="restrict"
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        ondelete="restrict",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'res.partner')]",
    )
    activity_summary = fields.Char(string="Summary", translate=True)
    tag_id = fields.Many2one("res.partner.category", ondelete="restrict")
    user_id = fields.Many2one(
        "res.users",
        check_company=True,
        help="The salesperson to assign, or who gets the opportunity; the activity's user when the contact has "
        "no salesperson.",
    )
    survey_id = fields.Many2one("survey.survey", ondelete="restrict")
    respect_pressure = fields.Boolean(
        string="Respect Contact Pressure",
        default=True,
        help="Counts in and obeys the maximum number of care messages and the minimum gap between them. Turn it off "
        "for service messages; opt-outs and the blacklist are honoured anyway.",
    )
    touch_count = fields.Integer(compute="_compute_touch_count", string="Touches")

    _delay_positive = models.Constraint("CHECK(delay_days >= 0)", "The delay of a step cannot be negative.")

    @api.depends("action", "delay_days")
    def _compute_name(self):
        actions = dict(self._fields["action"]._description_selection(self.env))
        for step in self:
            step.name = self.env._(
                "%(action)s after %(days)s days", action=actions.get(step.action, ""), days=step.delay_days
            )

    def _compute_touch_count(self):
        counts = dict(self.env["crm.care.touch"]._read_group([("step_id", "in", self.ids)], ["step_id"], ["__count"]))
        for step in self:
            step.touch_count = counts.get(step, 0)

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.env["crm.care.touch"]._retire_planned("step_id", self.ids)
        return result

    @api.model
    def _get_required_fields(self):
        """The field each action needs; other addons add theirs."""
        return {
            "email": "mail_template_id",
            "sms": "sms_template_id",
            "activity": "activity_type_id",
            "add_tag": "tag_id",
            "remove_tag": "tag_id",
            "assign_salesperson": "user_id",
            "survey": "survey_id",
        }

    @api.constrains(
        "action", "mail_template_id", "sms_template_id", "activity_type_id", "tag_id", "user_id", "survey_id"
    )
    def _check_action_settings(self):
        required = self._get_required_fields()
        for step in self:
            field_name = required.get(step.action)
            if field_name and not step[field_name]:
                raise ValidationError(
                    self.env._(
                        "The step \"%(step)s\" of campaign %(campaign)s needs a value for %(field)s.",
                        step=step.name,
                        campaign=step.campaign_id.name,
                        field=self._fields[field_name].get_description(self.env)["string"],
                    )
                )

    @api.constrains("action", "survey_id")
    def _check_survey_open_to_customers(self):
        """A survey step invites customers who mostly have no user account: a survey that requires a login and
        does not let people sign up would refuse each invitation (Odoo's survey.invite), so it is refused here."""
        for step in self.filtered(lambda step: step.action == "survey" and step.survey_id):
            survey = step.survey_id.sudo()
            if survey.users_login_required and not survey.users_can_signup:
                raise ValidationError(
                    self.env._(
                        "The survey %(survey)s of step \"%(step)s\" requires a login and does not let customers sign "
                        "up: customers without a user account could not answer it. Untick Require Login on the "
                        "survey, or allow external signup.",
                        survey=survey.title,
                        step=step.name,
                    )
                )
