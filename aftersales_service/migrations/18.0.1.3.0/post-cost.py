"""Ticket costs (18.0.1.3.0): the cost figures are now stored on the ticket and written when
one of their sources changes. Tickets from before get theirs once here, from the same
sources (parts at valuation, labour at today's hourly costs, expenses, fund drawings,
waivers, invoiced)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

BATCH = 5000


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT id FROM aftersales_ticket ORDER BY id")
    ids = [row[0] for row in cr.fetchall()]
    Ticket = env["aftersales.ticket"]
    for start in range(0, len(ids), BATCH):
        Ticket.browse(ids[start : start + BATCH])._aftersales_update_costs()
        env.invalidate_all()
    _logger.info("Cost figures of %s tickets computed.", len(ids))
