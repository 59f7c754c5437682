"""One-off data fixes of 18.0.1.2.0.

- The SLA re-match that ran on every upgrade before (data/aftersales_sla_rematch.xml): open
  tickets without an SLA policy, or not accepted yet, take the policies in force.
- Portal access tokens are now given at creation: records from before get theirs here, so
  that no portal list has to write one (and can be answered from a read-only replica).
- A fee waiver now owns one quotation line per tax set (sale.order.line.aftersales_waiver_id):
  the line of a waiver approved before (the former sale_line_id column, which the ORM
  leaves in place) becomes its own, and earlier requests get today's titles."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


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
    if column_exists(cr, "aftersales_fee_waiver", "sale_line_id"):
        cr.execute(
            "UPDATE sale_order_line line SET aftersales_waiver_id = waiver.id "
            "FROM aftersales_fee_waiver waiver "
            "WHERE waiver.sale_line_id = line.id AND line.aftersales_waiver_id IS NULL"
        )
    env = api.Environment(cr, SUPERUSER_ID, {})
    waivers = env["aftersales.fee.waiver"].search([("ticket_id", "!=", False)])
    env.add_to_compute(waivers._fields["name"], waivers)
    env["aftersales.sla.policy"]._rematch_all_tickets()
