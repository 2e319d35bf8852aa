import calendar
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

EARLIEST_BIRTHDAY = date(1900, 1, 1)


def birthday_in_year(birthday, year):
    """The day a birthday is celebrated in `year`: 29 February falls on 28 February in other years."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def next_birthday(birthday, today):
    """The first day from `today` on which the birthday is celebrated."""
    if not birthday:
        return False
    this_year = birthday_in_year(birthday, today.year)
    return this_year if this_year >= today else birthday_in_year(birthday, today.year + 1)


def birthday_in_year_sql(column, year):
    """SQL for birthday_in_year(column, year): column is an SQL date, year an SQL integer."""
    return SQL(
        """CASE WHEN EXTRACT(MONTH FROM %(col)s) = 2 AND EXTRACT(DAY FROM %(col)s) = 29
                     AND NOT (%(year)s %% 4 = 0 AND (%(year)s %% 100 != 0 OR %(year)s %% 400 = 0))
                THEN make_date(%(year)s, 2, 28)
                ELSE make_date(%(year)s, EXTRACT(MONTH FROM %(col)s)::int, EXTRACT(DAY FROM %(col)s)::int)
           END""",
        col=column,
        year=year,
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    birthday = fields.Date(tracking=True)
    next_birthday = fields.Date(
        compute="_compute_next_birthday",
        store=True,
        index="btree_not_null",
        help="The next day this contact's birthday is celebrated (29 February on 28 February in other years).",
    )
    care_opt_out = fields.Boolean(
        string="No care or marketing messages",
        tracking=True,
        help="Care campaigns send this contact no message, call or visit.",
    )
    care_touch_ids = fields.One2many("crm.care.touch", "partner_id", string="Care Touches")
    care_touch_count = fields.Integer(compute="_compute_care_touch_count", string="Care")

    # Planning a birthday campaign finds the day's birthdays through this index.
    _birthday_month_day_idx = models.Index(
        "((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))) WHERE birthday IS NOT NULL"
    )

    @api.depends("birthday")
    def _compute_next_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.next_birthday = next_birthday(partner.birthday, today)

    def _compute_care_touch_count(self):
        counts = dict(
            self.env["crm.care.touch"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.care_touch_count = counts.get(partner, 0)

    @api.constrains("birthday")
    def _check_birthday(self):
        today = fields.Date.context_today(self)
        for partner in self.filtered("birthday"):
            if partner.birthday > today:
                raise ValidationError(
                    self.env._("The birthday of %(partner)s cannot be in the future.", partner=partner.display_name)
                )
            if partner.birthday < EARLIEST_BIRTHDAY:
                raise ValidationError(
                    self.env._("The birthday of %(partner)s cannot be before 1900.", partner=partner.display_name)
                )

    def action_view_care_touches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_touch_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_group_by_state": False}
        return action

    @api.model
    def _care_roll_next_birthdays(self, today):
        """Move the next birthdays that have passed to the following year (set-based)."""
        self.flush_model(["birthday", "next_birthday"])
        year = SQL("%s::int", today.year)
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner
                      SET next_birthday = CASE WHEN %(this_year)s >= %(today)s THEN %(this_year)s ELSE %(next_year)s END
                    WHERE birthday IS NOT NULL AND (next_birthday IS NULL OR next_birthday < %(today)s)""",
                this_year=birthday_in_year_sql(SQL("birthday"), year),
                next_year=birthday_in_year_sql(SQL("birthday"), SQL("%s::int", today.year + 1)),
                today=today,
            )
        )
        self.invalidate_model(["next_birthday"])
        return self.env.cr.rowcount
