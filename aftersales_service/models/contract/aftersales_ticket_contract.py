from odoo import api, fields, models


# The ticket is large: what maintenance contracts change lives in a file of its own.
class AftersalesTicketContract(models.Model):
    """Tickets about a unit under an active maintenance contract carry the contract and
    get its service levels; preventive inspections remember their planned date."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    contract_id = fields.Many2one(
        "aftersales.contract",
        string="Maintenance Contract",
        compute="_compute_contract_id",
        store=True,
        precompute=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    contract_inspection_date = fields.Date(
        string="Inspection Of", readonly=True, copy=False, help="Planned preventive inspection."
    )

    def _aftersales_method_fields(self):
        # The contract covering the unit is found, not chosen; inspections are the cron's.
        return super()._aftersales_method_fields() | {"contract_id", "contract_inspection_date"}

    def init(self):
        res = super().init()
        # A contract's inspection of a given date is planned once, whatever runs the cron.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_ticket_contract_inspection_uniq
            ON aftersales_ticket (contract_id, contract_inspection_date)
            WHERE contract_inspection_date IS NOT NULL
            """
        )
        return res

    @api.depends("partner_id", "lot_id", "product_id", "company_id")
    def _compute_contract_id(self):
        Contract = self.env["aftersales.contract"]
        for ticket in self:
            if ticket.contract_id and ticket.contract_id._covers(ticket):
                continue
            ticket.contract_id = Contract._find_for_ticket(ticket)

    @api.depends("contract_id.sla_policy_id")
    def _compute_sla_policy_id(self):
        res = super()._compute_sla_policy_id()
        # The contract's promise wins over the general policies, until the ticket is accepted.
        for ticket in self.filtered(
            lambda t: t.contract_id.sla_policy_id and t.state in ("new", "assigned")
        ):
            ticket.sla_policy_id = ticket.contract_id.sla_policy_id
        return res
