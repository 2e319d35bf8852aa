"""A care step that needs an Odoo feature it cannot get is refused with a clear message, not stored to fail."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareConfigFeatures(CareCase):
    def _survey_step(self, survey):
        return self._campaign("birthday", steps=[{"action": "survey", "survey_id": survey.id}]).step_ids

    def test_a_survey_customers_cannot_open_is_refused(self):
        closed = self.env["survey.survey"].create(
            {"title": "Members only", "access_mode": "token", "users_login_required": True}
        )
        self.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2b")  # Settings: on invitation
        with self.assertRaisesRegex(ValidationError, "requires a login and does not let customers sign up"):
            self._survey_step(closed)

    def test_a_login_survey_is_accepted_when_customers_may_sign_up(self):
        survey = self.env["survey.survey"].create(
            {"title": "Sign up and answer", "access_mode": "token", "users_login_required": True}
        )
        self.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")  # Settings: free sign up
        self.assertEqual(self._survey_step(survey).survey_id, survey)
        open_survey = self.env["survey.survey"].create({"title": "Open", "access_mode": "token"})
        self.assertEqual(self._survey_step(open_survey).survey_id, open_survey)
