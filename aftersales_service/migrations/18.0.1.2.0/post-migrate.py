"""One-off fix that ran on every upgrade before 18.0.1.2.0 (data/aftersales_sla_rematch.xml):
open tickets without an SLA policy, or not accepted yet, take the policies in force."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["aftersales.sla.policy"]._rematch_all_tickets()
