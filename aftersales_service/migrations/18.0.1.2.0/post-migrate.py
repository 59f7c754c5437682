"""One-off data fixes of 18.0.1.2.0.

- The SLA re-match that ran on every upgrade before (data/aftersales_sla_rematch.xml): open
  tickets without an SLA policy, or not accepted yet, take the policies in force.
- Portal access tokens are now given at creation: records from before get theirs here, so
  that no portal list has to write one (and can be answered from a read-only replica).
- A fee waiver now owns one quotation line per tax set (sale.order.line.aftersales_waiver_id):
  the line of a waiver approved before (the former sale_line_id column, which the ORM
  leaves in place) becomes its own, and earlier requests get today's titles.
- SLA breaches have their own recipient (res.company.aftersales_escalation_manager_id): it
  starts as the warranty reminders' one, who received them before.
- Indexes belong to the models that own the tables: the KPI report's copies on the ticket's
  resolution date and on repair orders' ticket (the fields' own indexes now) are dropped.
- Records shipped as no-update data that changed: the *Quality Problem* category is marked a
  quality problem (its tickets need the liability at resolution); the acknowledgement mail
  quotes the ticket's own response deadline (reloaded only when nobody edited it since it was
  installed: an edited template is kept, with a warning); the 24/7 calendar counts days where
  the company works (its time zone) instead of in UTC."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import convert
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


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
    cr.execute("DROP INDEX IF EXISTS aftersales_ticket_kpi_resolved_idx")
    cr.execute("DROP INDEX IF EXISTS repair_order_aftersales_ticket_idx")
    cr.execute(
        "UPDATE res_company "
        "SET aftersales_escalation_manager_id = aftersales_warranty_responsible_id "
        "WHERE aftersales_escalation_manager_id IS NULL"
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
    quality = env.ref("aftersales_service.category_quality_problem", raise_if_not_found=False)
    if quality:
        quality.quality_problem = True
    calendar = env.ref("aftersales_service.resource_calendar_24x7", raise_if_not_found=False)
    if calendar and calendar.tz == "UTC":
        calendar.tz = env.ref("base.main_company")._aftersales_tz()
    # The file is reloaded as a whole: only when none of its templates was edited.
    templates = env["ir.model.data"].search(
        [("module", "=", "aftersales_service"), ("model", "=", "mail.template")]
    )
    templates = env["mail.template"].browse(templates.mapped("res_id")).exists()
    edited = templates.filtered(lambda t: t.write_date != t.create_date)
    if not edited:
        convert.convert_file(
            env, "aftersales_service", "data/mail_template_data.xml", {}, mode="init", noupdate=True
        )
    else:
        _logger.warning(
            "After-Sales mail templates were edited (%s): they are kept. The shipped "
            "acknowledgement now quotes the ticket's own response deadline; compare it with "
            "data/mail_template_data.xml.",
            ", ".join(edited.mapped("name")),
        )
