import calendar
from datetime import date

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
