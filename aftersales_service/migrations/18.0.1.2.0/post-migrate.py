"""One-off data fixes of 18.0.1.2.0.

- The SLA re-match that ran on every upgrade before (data/aftersales_sla_rematch.xml): open
  tickets without an SLA policy, or not accepted yet, take the policies in force.
- Portal access tokens are now given at creation: records from before get theirs here, so
  that no portal list has to write one (and can be answered from a read-only replica)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE aftersales_ticket SET access_token = gen_random_uuid()::text "
        "WHERE access_token IS NULL"
    )
    cr.execute(
        "UPDATE aftersales_warranty SET access_token = gen_random_uuid()::text "
        "WHERE access_token IS NULL"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["aftersales.sla.policy"]._rematch_all_tickets()
