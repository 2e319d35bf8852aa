"""Schema helpers for installing on a large existing database."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def create_column_filled(cr, table, column, column_type, value):
    """Create `column` (SQL type `column_type`, e.g. "numeric", "int4") in `table`, every existing row holding
    `value` (a constant), without rewriting the table; return False (doing nothing) when the column exists.

    PostgreSQL (11+) keeps the constant default of a new column in its catalog instead of writing it into
    every row; dropping the default right after keeps the existing rows' value and leaves new rows to the
    ORM, as Odoo's own columns. Odoo's column initialisation (`UPDATE table SET column = default`) rewrites
    every row: minutes on a table of millions of orders or partners. Call it from the model's `_auto_init`
    before super(): the column then exists and Odoo neither fills nor recomputes it.
    """
    if column_exists(cr, table, column):
        return False
    cr.execute(
        SQL(
            "ALTER TABLE %(table)s ADD COLUMN %(column)s %(type)s DEFAULT %(value)s;"
            " ALTER TABLE %(table)s ALTER COLUMN %(column)s DROP DEFAULT",
            table=SQL.identifier(table),
            column=SQL.identifier(column),
            type=SQL(column_type),
            value=value,
        )
    )
    return True
