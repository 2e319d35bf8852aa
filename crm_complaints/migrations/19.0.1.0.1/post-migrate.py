"""19.0.1.0.1: the compensation's loyalty program, a selection of program ids kept as text (`coupon_program`),
becomes the Many2one `coupon_program_id` (crm_complaints now depends on the Loyalty app).

The ids are copied into the new column (ids of programs that no longer exist are dropped and logged), and the
text column is dropped.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not column_exists(cr, "crm_complaint_compensation", "coupon_program"):
        return
    if table_exists(cr, "loyalty_program"):
        cr.execute(SQL("ALTER TABLE crm_complaint_compensation ADD COLUMN IF NOT EXISTS coupon_program_id int4"))
        cr.execute(
            SQL(
                """UPDATE crm_complaint_compensation c
                      SET coupon_program_id = p.id
                     FROM loyalty_program p
                    WHERE c.coupon_program ~ '^[0-9]+$' AND p.id = c.coupon_program::int4"""
            )
        )
        _logger.info("crm_complaints: %s compensations keep their loyalty program as coupon_program_id", cr.rowcount)
        cr.execute(
            SQL(
                """SELECT id, coupon_program FROM crm_complaint_compensation
                    WHERE coupon_program IS NOT NULL AND coupon_program_id IS NULL"""
            )
        )
        for compensation_id, value in cr.fetchall():
            _logger.warning(
                "crm_complaints: compensation %s had loyalty program %r, which no longer exists", compensation_id, value
            )
    cr.execute(SQL("ALTER TABLE crm_complaint_compensation DROP COLUMN coupon_program"))
