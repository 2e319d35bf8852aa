"""One membership card per customer: the cards sale_loyalty made per ordering contact are merged into one card
of the commercial entity (points summed, history and order point entries moved, the others archived); each
merge is logged by `loyalty.card._crm_loyalty_consolidate_member_cards`."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    done = env["loyalty.card"]._crm_loyalty_consolidate_member_cards()
    for entity_id, kept_id, absorbed_ids, points in done:
        _logger.info(
            "Membership cards of partner %s: cards %s merged into card %s (%g points moved)",
            entity_id,
            absorbed_ids,
            kept_id,
            points,
        )
    _logger.info("Membership cards: %s customers now have one card", len(done))
