from datetime import date, datetime

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.sql_db import db_connect
from odoo.tests import tagged

from .common import TwoWorkersCase, frozen


@tagged("post_install", "-at_install")
class TestCareConcurrency(TwoWorkersCase):
    """Two workers on two real database connections plan and execute each touch once.

    The data is committed by a connection of its own (the test transaction would hide it from the workers)
    and removed at the end. This class writes nothing in the test transaction, so the workers never wait
    for it.
    """

    DAY = date(2026, 6, 15)
    SIZE = 150

    def setUp(self):
        super().setUp()
        self.dbname = self.env.cr.dbname
        with db_connect(self.dbname).cursor() as cr, frozen(api.Environment(cr, SUPERUSER_ID, {}), self.DAY):
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.tag_id = env["res.partner.category"].create({"name": "Care concurrency"}).id
            self.partner_ids = (
                env["res.partner"]
                .create(
                    [
                        {
                            "name": f"Care concurrency {index}",
                            "email": f"cc{index}@example.com",
                            "birthday": date(1990, 6, 15),
                        }
                        for index in range(self.SIZE)
                    ]
                )
                .ids
            )
            self.campaign_id = (
                env["crm.care.campaign"]
                .create(
                    {
                        "name": "Care concurrency",
                        "kind": "birthday",
                        "step_ids": [Command.create({"action": "add_tag", "tag_id": self.tag_id})],
                    }
                )
                .id
            )
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["crm.care.campaign"].browse(self.campaign_id).with_context(active_test=False).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["res.partner.category"].browse(self.tag_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _in_two_workers(self, work, expected=()):
        return super()._in_two_workers(work, datetime(2026, 6, 15, 12, 0), expected)

    def _fetch(self, query, params):
        """Read what the workers committed (the test transaction's snapshot may predate it)."""
        with db_connect(self.dbname).cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def _touch_rows(self):
        return self._fetch(
            "SELECT partner_id, COUNT(*), MIN(state), MAX(state) FROM crm_care_touch WHERE campaign_id = %s"
            " GROUP BY partner_id",
            [self.campaign_id],
        )

    def test_two_cron_workers_create_and_execute_each_touch_once(self):
        self._in_two_workers(lambda env: env["crm.care.campaign"]._cron_care(chunk_size=20))
        rows = self._touch_rows()
        self.assertEqual(len(rows), self.SIZE)
        self.assertEqual({(count, low, high) for __, count, low, high in rows}, {(1, "done", "done")})
        tagged = self._fetch(
            "SELECT COUNT(*) FROM res_partner_res_partner_category_rel WHERE category_id = %s", [self.tag_id]
        )
        self.assertEqual(tagged[0][0], self.SIZE)

    def test_two_workers_planning_the_same_day_insert_each_touch_once(self):
        """Without the campaign claim, the unique key alone keeps one touch per occurrence.

        Odoo's transactions are REPEATABLE READ: the worker that inserts second either finds the first one's
        rows (nothing to insert) or fails with a serialization error and inserts nothing; a retry then
        plans nothing new.
        """
        created = []

        def plan(env):
            campaign = env["crm.care.campaign"].browse(self.campaign_id)
            created.append(campaign._plan_day(self.DAY, "UTC"))

        errors = self._in_two_workers(plan, expected=psycopg2.errors.SerializationFailure)
        self.assertEqual((sum(created), len(created) + len(errors)), (self.SIZE, 2), (created, errors))
        with db_connect(self.dbname).cursor() as cr:
            retry = api.Environment(cr, SUPERUSER_ID, {})["crm.care.campaign"].browse(self.campaign_id)
            self.assertEqual(retry._plan_day(self.DAY, "UTC"), 0)
        rows = self._touch_rows()
        self.assertEqual(len(rows), self.SIZE)
        self.assertEqual({count for __, count, __, __ in rows}, {1})
