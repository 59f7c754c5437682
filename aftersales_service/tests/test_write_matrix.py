import base64
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.core.aftersales_guard_mixin import FRAMEWORK_FIELDS, WRITE_ROLES
from .common import AftersalesCommon

_logger = logging.getLogger(__name__)

ROLES = ("tech_own", "tech_mate", "rep", "manager", "analyst", "portal")

# Figures that pay, rank or fine someone (issue 14): whatever the declarations say, no
# role may type them in.
EVIDENCE = {
    "aftersales.ticket": [
        "state",
        "technician_id",
        "sla_status",
        "sla_response_state",
        "sla_arrival_state",
        "sla_resolution_state",
        "deadline_response",
        "deadline_arrival",
        "deadline_resolution",
        "sla_next_check",
        "sla_paused_hours_arrival",
        "sla_paused_hours_resolution",
        "sla_waiting_since",
        "sla_arrival_warned",
        "sla_arrival_escalated",
        "date_arrival",
        "kpi_response_hours",
        "kpi_arrival_work_hours",
        "is_first_time_fix",
        "sla_policy_id",
        "warranty_id",
        "warranty_state",
        "rating_last_value",
        "customer_confirmed",
        "reopen_count",
        "name",
        "company_id",
        "dispatched_unqualified",
        "dispatch_override_reason",
        "dispatch_qualification_level",
        "dispatch_refused_ids",
        "service_center_id",
    ],
    "aftersales.visit": [
        "state",
        "check_in",
        "check_out",
        "date_departure",
        "work_hours",
        "customer_signature",
        "signed_by",
        "signed_on",
        "ticket_id",
        "service_center_id",
    ],
    "aftersales.visit.part": ["move_id", "visit_id"],
    "aftersales.fee.waiver": ["state", "decided_by_id", "date_decided", "sale_line_ids"],
    "aftersales.fund.move": ["state", "decided_by_id", "kind", "override_reason", "ticket_id"],
    "aftersales.contract": ["state", "sale_line_id"],
    "aftersales.warranty": ["date_end", "is_void", "date_start", "rule_id", "extension_ids"],
    "aftersales.warranty.extension": ["months", "warranty_id"],
    "aftersales.penalty": [
        "state",
        "kind",
        "employee_id",
        "auto_raised",
        "complaint_id",
        "service_center_id",
    ],
    "aftersales.complaint": [
        "state",
        "verdict",
        "findings",
        "responsible_ids",
        "date_received",
        "date_acknowledged",
        "date_answered",
        "deadline_acknowledge",
        "deadline_answer",
        "acknowledge_escalated",
        "answer_escalated",
        "customer_rating",
        "name",
        "company_id",
    ],
    "aftersales.complaint.statement": ["statement", "employee_id", "complaint_id"],
    "aftersales.complaint.action": ["state", "effectiveness", "complaint_id"],
    "aftersales.evaluation": ["state", "score", "rank", "on_time_rate", "employee_id"],
    "aftersales.part.request": ["state", "decided_by_id", "picking_id", "employee_id"],
    "aftersales.part.request.line": ["amount", "request_id"],
    "aftersales.supplier.claim": [
        "state",
        "return_picking_id",
        "credit_note_id",
        "defective_return_id",
        "amount_claimed",
    ],
    "aftersales.defective.return": [
        "state",
        "is_overdue",
        "lot_id",
        "employee_id",
        "date_due",
        "date_received",
        "move_ids",
    ],
    "aftersales.budget": [
        "state",
        "submitted_by_id",
        "date_submitted",
        "approved_by_id",
        "date_approved",
        "warned_80",
        "warned_100",
        "amount_budget",
        "period_start",
        "period_end",
        "company_id",
    ],
    "aftersales.budget.line": ["budget_id", "kind"],
    "aftersales.service.agreement": ["partner_id", "company_id", "renewal_reminded"],
    "aftersales.service.agreement.rate": ["agreement_id", "company_id"],
    "aftersales.service.agreement.travel": ["agreement_id", "company_id"],
    "aftersales.service.agreement.document": ["agreement_id", "company_id"],
    "aftersales.qualification": ["training_id", "date_reminded", "employee_id", "company_id"],
    "aftersales.training": ["state", "qualification_ids"],
    "aftersales.training.attendee": ["training_id", "hours", "date", "training_state"],
    "aftersales.visit.trainee": ["visit_id", "partner_id"],
    "aftersales.material.reconciliation": [
        "state",
        "partner_id",
        "location_id",
        "accuracy",
        "accuracy_target",
        "amount_charged",
        "done_by_id",
        "company_id",
    ],
    "aftersales.material.reconciliation.line": [
        "product_id",
        "qty_opening",
        "qty_shipped",
        "qty_collected",
        "qty_used",
        "qty_returned",
        "qty_system",
        "difference",
        "standard_price",
        "charge_amount",
        "reconciliation_id",
    ],
    "aftersales.settlement": [
        "state",
        "partner_id",
        "agreement_id",
        "amount_total",
        "decided_by_id",
        "submitted_by_id",
        "move_id",
        "company_id",
    ],
    "aftersales.settlement.line": [
        "settlement_id",
        "visit_id",
        "work_hours",
        "job_amount",
        "hours_amount",
        "travel_amount",
        "deduction_amount",
        "amount",
        "is_rejected",
    ],
}

# Who may write what directly, as the README's Roles table says: every other cell of the
# matrix must be refused.
OWN = ("tech_own",)
MANAGER = ("manager",)
SERVICE = ("rep", "manager")
OWN_AND_SERVICE = ("tech_own", "rep", "manager")
ALLOW_LIST = {
    "aftersales.budget": {
        SERVICE: {"date_from", "line_ids", "period_type", "product_categ_id", "team_id"},
        MANAGER: {"reason"},
    },
    "aftersales.budget.line": {
        SERVICE: {"amount_budget"},
    },
    "aftersales.service.agreement": {
        MANAGER: {
            "active",
            "date_end",
            "date_start",
            "document_ids",
            "hourly_rate",
            "name",
            "note",
            "product_category_ids",
            "rate_ids",
            "renewal_notice_days",
            "travel_ids",
            "user_id",
            "zone_ids",
        },
    },
    "aftersales.service.agreement.rate": {MANAGER: {"amount", "category_id"}},
    "aftersales.service.agreement.travel": {MANAGER: {"amount", "zone_id"}},
    "aftersales.service.agreement.document": {
        MANAGER: {
            "attachment",
            "attachment_name",
            "date_expiry",
            "document_type",
            "name",
        },
    },
    "aftersales.material.reconciliation": {SERVICE: {"line_ids", "note"}},
    "aftersales.material.reconciliation.line": {SERVICE: {"qty_counted", "reason", "resolution"}},
    "aftersales.settlement": {SERVICE: {"line_ids", "note"}, MANAGER: {"refuse_reason"}},
    "aftersales.settlement.line": {SERVICE: {"reject_reason"}},
    "aftersales.category": {
        MANAGER: {
            "active",
            "customer_training",
            "description",
            "name",
            "onsite_service",
            "quality_problem",
            "sequence",
        },
    },
    "aftersales.complaint": {
        SERVICE: {
            "channel",
            "contact_name",
            "description",
            "email",
            "employee_ids",
            "lot_id",
            "partner_id",
            "phone",
            "product_id",
            "severity",
            "subject",
            "team_id",
            "ticket_id",
            "type_id",
            "user_id",
            "visit_id",
        },
    },
    "aftersales.complaint.action": {
        SERVICE: {"date_due", "name", "user_id"},
    },
    "aftersales.complaint.type": {
        MANAGER: {
            "about_product",
            "active",
            "code",
            "description",
            "name",
            "penalty_rule_id",
            "sequence",
        },
    },
    "aftersales.contract": {
        SERVICE: {
            "date_end",
            "date_start",
            "inspection_frequency",
            "inspection_lead_days",
            "lot_ids",
            "next_inspection_date",
            "notes",
            "partner_id",
            "price",
            "product_ids",
            "sla_policy_id",
            "team_id",
            "technician_id",
            "user_id",
        },
    },
    "aftersales.evaluation": {
        OWN: {"employee_comment"},
        MANAGER: {"manager_comment"},
    },
    "aftersales.fee.waiver": {
        SERVICE: {"amount", "reason", "refuse_reason", "sale_order_id"},
    },
    "aftersales.fund.move": {
        SERVICE: {"amount", "date", "description"},
    },
    "aftersales.part.request": {
        OWN_AND_SERVICE: {"line_ids", "reason", "ticket_id"},
        SERVICE: {"refuse_reason"},
    },
    "aftersales.part.request.line": {
        OWN_AND_SERVICE: {"product_id", "quantity"},
    },
    "aftersales.supplier.claim": {
        SERVICE: {"no_return", "partner_id", "price_unit"},
        MANAGER: {"amount_recovered", "reject_reason"},
    },
    "aftersales.defective.return": {
        OWN_AND_SERVICE: {"note", "removed_serial"},
        SERVICE: {"inspection_note", "outcome"},
    },
    "aftersales.penalty": {
        OWN: {"objection"},
        MANAGER: {"amount", "date", "points", "reason"},
    },
    "aftersales.penalty.rule": {
        MANAGER: {"active", "amount", "auto_trigger", "code", "kind", "name", "points", "sequence"},
    },
    "aftersales.sla.policy": {
        MANAGER: {
            "active",
            "arrival_from_zone",
            "arrival_hours",
            "calendar_id",
            "category_ids",
            "contract_only",
            "name",
            "partner_tag_ids",
            "priority_min",
            "resolution_hours",
            "response_hours",
            "sequence",
            "team_ids",
            "warning_percent",
            "zone_ids",
        },
    },
    "aftersales.tag": {
        SERVICE: {"active", "color", "name"},
    },
    "aftersales.team": {
        MANAGER: {
            "active",
            "color",
            "dispatch_balance",
            "dispatch_mode",
            "leader_id",
            "member_ids",
            "name",
            "sequence",
        },
    },
    "aftersales.qualification": {
        MANAGER: {
            "certificate",
            "certificate_filename",
            "date_valid_until",
            "level",
            "note",
            "product_categ_id",
            "product_id",
        },
    },
    "aftersales.training": {
        MANAGER: {
            "attendee_ids",
            "date",
            "hours",
            "level",
            "name",
            "note",
            "pass_score",
            "product_categ_ids",
            "trainer_id",
            "validity_months",
        },
    },
    "aftersales.training.attendee": {
        MANAGER: {"employee_id", "passed", "score"},
    },
    "aftersales.visit.trainee": {
        OWN_AND_SERVICE: {"name", "position", "signature"},
    },
    "aftersales.ticket": {
        OWN_AND_SERVICE: {"liability", "resolution_cause", "resolution_note"},
        SERVICE: {
            "category_id",
            "channel",
            "contact_name",
            "date_deadline",
            "description",
            "email",
            "lot_id",
            "partner_id",
            "phone",
            "priority",
            "product_id",
            "sale_order_id",
            "tag_ids",
            "team_id",
        },
    },
    "aftersales.visit": {
        OWN_AND_SERVICE: {
            "check_in_note",
            "check_out_note",
            "customer_opinion",
            "no_parts_used",
            "part_ids",
            "trainee_ids",
            "work_done",
        },
        SERVICE: {"address_id", "scheduled_end", "scheduled_start", "technician_ids"},
    },
    "aftersales.visit.part": {
        OWN_AND_SERVICE: {"lot_id", "product_id", "quantity"},
    },
    "aftersales.warranty.rule": {
        MANAGER: {
            "active",
            "applies_to",
            "categ_id",
            "cover_labor",
            "cover_parts",
            "cover_travel",
            "duration",
            "duration_unit",
            "exclusions",
            "name",
            "product_tmpl_id",
            "sequence",
            "start_basis",
        },
    },
    "aftersales.zone": {
        MANAGER: {
            "active",
            "arrival_hours",
            "city_names",
            "name",
            "per_contract",
            "sequence",
            "state_ids",
            "zip_prefixes",
        },
    },
}
ALLOWED = {
    f"{model}.{field}": list(roles)
    for model, cells in ALLOW_LIST.items()
    for roles, names in cells.items()
    for field in names
}

PIXEL = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
)


@tagged("post_install", "-at_install")
class TestWriteMatrix(AftersalesCommon):
    """Every stored field of every After-Sales model, written directly by every role:
    refused unless the model's allow-list gives it to that role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.portal_user = new_test_user(
            env, "t_matrix_portal", groups="base.group_portal", partner_id=cls.customer_contact.id
        )
        cls.ticket = cls._ticket(priority="3")
        cls.ticket.with_user(cls.rep_user).action_assign(cls.tech)
        cls.ticket.with_user(cls.tech_user).action_accept()
        part = env["product.product"].create({"name": "Matrix Fuse", "type": "consu"})
        cls.visit = env["aftersales.visit"].create(
            {
                "ticket_id": cls.ticket.id,
                "technician_ids": [Command.set(cls.tech.ids)],
                "scheduled_start": fields.Datetime.now() + timedelta(hours=1),
                "scheduled_end": fields.Datetime.now() + timedelta(hours=3),
                "part_ids": [Command.create({"product_id": part.id, "quantity": 1})],
            }
        )
        cls.waiver = env["aftersales.fee.waiver"].create(
            {"ticket_id": cls.ticket.id, "amount": 10, "reason": "Loyal customer"}
        )
        env["aftersales.fund.move"].create(
            {"kind": "allocation", "amount": 1000, "description": "Matrix allocation"}
        )
        cls.drawing = env["aftersales.fund.move"].create(
            {
                "kind": "drawing",
                "ticket_id": cls.ticket.id,
                "amount": 10,
                "description": "Emergency part",
            }
        )
        cls.contract = env["aftersales.contract"].create(
            {
                "partner_id": cls.customer.id,
                "product_ids": [Command.set(cls.product.ids)],
                "date_end": fields.Date.today() + timedelta(days=365),
            }
        )
        cls.warranty_rule = env["aftersales.warranty.rule"].create(
            {"name": "Matrix 12 months", "applies_to": "all", "duration": 12}
        )
        cls.warranty = env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.other_product.id,
                "lot_id": cls.other_lot.id,
                "rule_id": cls.warranty_rule.id,
                "date_start": fields.Date.today(),
            }
        )
        cls.warranty.action_extend(6)
        cls.penalty_rule = env["aftersales.penalty.rule"].create(
            {
                "name": "Matrix late",
                "code": "MATRIX_LATE",
                "kind": "penalty",
                "amount": 50,
                "points": 1,
            }
        )
        cls.penalty = env["aftersales.penalty"].create(
            {"employee_id": cls.tech.id, "rule_id": cls.penalty_rule.id, "reason": "Late"}
        )
        cls.evaluation = env["aftersales.evaluation"].create(
            {
                "employee_id": cls.tech.id,
                "date_from": fields.Date.today().replace(day=1),
                "date_to": fields.Date.today(),
            }
        )
        cls.zone = env["aftersales.zone"].create({"name": "Matrix Zone", "arrival_hours": 4})
        cls.policy = env["aftersales.sla.policy"].create(
            {"name": "Matrix SLA", "response_hours": 24, "sequence": 99}
        )
        cls.tag = env["aftersales.tag"].create({"name": "Matrix"})
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.tech.aftersales_location_id = env["stock.location"].create(
            {
                "name": "Matrix Van",
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
            }
        )
        stored_part = env["product.product"].create({"name": "Matrix Relay", "is_storable": True})
        cls.part_request = env["aftersales.part.request"].create(
            {
                "employee_id": cls.tech.id,
                "line_ids": [Command.create({"product_id": stored_part.id, "quantity": 1})],
            }
        )
        cls.defective_return = env["aftersales.defective.return"].create(
            {"ticket_id": cls.ticket.id, "employee_id": cls.tech.id, "product_id": stored_part.id}
        )
        claimed_return = env["aftersales.defective.return"].create(
            {"ticket_id": cls.ticket.id, "employee_id": cls.tech.id, "product_id": stored_part.id}
        )
        cls.supplier_claim = env["aftersales.supplier.claim"].create(
            {"defective_return_id": claimed_return.id, "partner_id": cls.customer.id}
        )
        cls.complaint_type = env["aftersales.complaint.type"].create(
            {
                "name": "Matrix rudeness",
                "code": "MATRIX_RUDE",
                "penalty_rule_id": cls.penalty_rule.id,
            }
        )
        cls.complaint = env["aftersales.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "ticket_id": cls.ticket.id,
                "type_id": cls.complaint_type.id,
                "employee_ids": [Command.set(cls.tech.ids)],
            }
        )
        cls.complaint_action = env["aftersales.complaint.action"].create(
            {
                "complaint_id": cls.complaint.id,
                "name": "Matrix training",
                "user_id": cls.rep_user.id,
                "date_due": fields.Date.today() + timedelta(days=7),
            }
        )
        cls.complaint.with_user(cls.tech_user).action_submit_statement("Matrix statement")
        cls.budget = env["aftersales.budget"].create(
            {"team_id": cls.team.id, "date_from": "2031-02-01"}
        )
        cls.center = env["res.partner"].create(
            {"name": "Matrix Service Centre", "aftersales_is_service_center": True}
        )
        cls.agreement = env["aftersales.service.agreement"].create(
            {
                "name": "Matrix agreement",
                "partner_id": cls.center.id,
                "date_start": "2031-01-01",
                "date_end": "2031-12-31",
                "rate_ids": [Command.create({"category_id": cls.category_fault.id, "amount": 80})],
                "travel_ids": [Command.create({"zone_id": cls.zone.id, "amount": 30})],
                "document_ids": [
                    Command.create(
                        {
                            "document_type": "insurance",
                            "name": "INS-1",
                            "date_expiry": "2031-12-31",
                        }
                    )
                ],
            }
        )
        cls.qualification = env["aftersales.qualification"].create(
            {
                "employee_id": cls.tech.id,
                "product_id": cls.product.id,
                "date_valid_until": fields.Date.today() + timedelta(days=365),
            }
        )
        cls.training = env["aftersales.training"].create(
            {
                "name": "Matrix training session",
                "product_categ_ids": [Command.set(cls.product.categ_id.ids)],
                "attendee_ids": [Command.create({"employee_id": cls.tech.id, "score": 70})],
            }
        )
        cls.trainee = env["aftersales.visit.trainee"].create(
            {"visit_id": cls.visit.id, "name": "Matrix Operator", "position": "Shift lead"}
        )
        cls.center.action_create_consignment_location()
        cls.reconciliation = env["aftersales.material.reconciliation"].create(
            {
                "partner_id": cls.center.id,
                "date_from": "2031-02-01",
                "line_ids": [Command.create({"product_id": stored_part.id, "qty_shipped": 4})],
            }
        )
        cls.settlement = env["aftersales.settlement"].create(
            {
                "partner_id": cls.center.id,
                "date_from": "2031-02-01",
                "line_ids": [
                    Command.create({"visit_id": cls.visit.id, "job_amount": 80, "work_hours": 1.5})
                ],
            }
        )
        cls.users = {
            "tech_own": cls.tech_user,
            "tech_mate": cls.tech2_user,
            "rep": cls.rep_user,
            "manager": cls.manager_user,
            "analyst": cls.analyst_user,
            "portal": cls.portal_user,
        }

    def _records(self):
        return {
            "aftersales.ticket": self.ticket,
            "aftersales.visit": self.visit,
            "aftersales.visit.part": self.visit.part_ids,
            "aftersales.fee.waiver": self.waiver,
            "aftersales.fund.move": self.drawing,
            "aftersales.contract": self.contract,
            "aftersales.warranty": self.warranty,
            "aftersales.warranty.extension": self.warranty.extension_ids,
            "aftersales.penalty": self.penalty,
            "aftersales.evaluation": self.evaluation,
            "aftersales.team": self.team,
            "aftersales.category": self.category_fault,
            "aftersales.tag": self.tag,
            "aftersales.zone": self.zone,
            "aftersales.sla.policy": self.policy,
            "aftersales.penalty.rule": self.penalty_rule,
            "aftersales.warranty.rule": self.warranty_rule,
            "aftersales.part.request": self.part_request,
            "aftersales.part.request.line": self.part_request.line_ids,
            "aftersales.defective.return": self.defective_return,
            "aftersales.supplier.claim": self.supplier_claim,
            "aftersales.complaint": self.complaint,
            "aftersales.complaint.type": self.complaint_type,
            "aftersales.complaint.action": self.complaint_action,
            "aftersales.complaint.statement": self.complaint.statement_ids,
            "aftersales.budget": self.budget,
            "aftersales.budget.line": self.budget.line_ids[:1],
            "aftersales.service.agreement": self.agreement,
            "aftersales.service.agreement.rate": self.agreement.rate_ids,
            "aftersales.service.agreement.travel": self.agreement.travel_ids,
            "aftersales.service.agreement.document": self.agreement.document_ids,
            "aftersales.qualification": self.qualification,
            "aftersales.training": self.training,
            "aftersales.training.attendee": self.training.attendee_ids,
            "aftersales.visit.trainee": self.trainee,
            "aftersales.material.reconciliation": self.reconciliation,
            "aftersales.material.reconciliation.line": self.reconciliation.line_ids,
            "aftersales.settlement": self.settlement,
            "aftersales.settlement.line": self.settlement.line_ids,
        }

    def _guarded_models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("aftersales.")
            and not model._abstract
            and not model._transient
            and model._auto
        )

    def _value(self, record, name):
        """A value different from the current one, valid for the field's type."""
        field = record._fields[name]
        current = record.sudo()[name]
        today, now = fields.Date.today(), fields.Datetime.now()

        def other_selection():
            selection = field._description_selection(self.env)
            return next((key for key, _label in selection if key != current), selection[0][0])

        def other_record():
            Comodel = self.env[field.comodel_name].sudo()
            return Comodel.search([("id", "!=", current.id)], limit=1).id

        values = {
            "char": lambda: f"{current or ''} matrix",
            "text": lambda: f"{current or ''} matrix",
            "html": lambda: "<p>Matrix</p>",
            "integer": lambda: (current or 0) + 3,
            "float": lambda: (current or 0.0) + 3.5,
            "monetary": lambda: (current or 0.0) + 3.5,
            "boolean": lambda: not current,
            "date": lambda: fields.Date.to_string((current or today) + timedelta(days=3)),
            "datetime": lambda: fields.Datetime.to_string((current or now) - timedelta(hours=5)),
            "selection": other_selection,
            "many2one": other_record,
            "many2many": lambda: [Command.set(current.ids)],
            "one2many": lambda: [],
            "binary": lambda: PIXEL,
        }
        self.assertIn(field.type, values, f"No test value for {record._name}.{name}")
        return values[field.type]()

    def _expected_writable(self, record, role):
        user = self.users[role]
        if role in ("analyst", "portal"):
            return set()
        if role == "tech_mate":
            self.assertNotIn(user, record.sudo()._aftersales_assignee_users())
        return record.with_user(user)._aftersales_allowed_fields()

    def test_every_stored_field_is_classified(self):
        """A new field fails here until its model says who may write it."""
        unclassified = []
        for model_name in self._guarded_models():
            model = self.env[model_name]
            self.assertTrue(
                hasattr(model, "_aftersales_check_write"), f"{model_name} is not guarded"
            )
            writable = set().union(*model._aftersales_writable_fields().values())
            classified = (
                model._aftersales_method_fields()
                | model._aftersales_create_only_fields()
                | writable
                | FRAMEWORK_FIELDS
            )
            for name, field in model._fields.items():
                if field.store and name not in classified:
                    unclassified.append(f"{model_name}.{name}")
            self.assertEqual(set(model._aftersales_writable_fields()), set(WRITE_ROLES))
        self.assertEqual(unclassified, [], "Fields nobody decided who may write")
        self.assertEqual(set(self._records()), set(self._guarded_models()))

    def test_evidence_is_never_writable(self):
        for model_name, names in EVIDENCE.items():
            model = self.env[model_name]
            frozen = model._aftersales_method_fields() | model._aftersales_create_only_fields()
            self.assertEqual(
                [n for n in names if n not in frozen], [], f"{model_name}: writable evidence"
            )

    def test_write_matrix(self):
        """Each field x role: refused with AccessError and unchanged, or let through."""
        forged, wrongly_refused, tried = [], [], 0
        let_through = defaultdict(list)
        refused = 0
        for model_name, record in self._records().items():
            self.assertEqual(len(record), 1, model_name)
            stored = sorted(
                name
                for name, field in record._fields.items()
                if field.store and name not in FRAMEWORK_FIELDS
            )
            for role in ROLES:
                allowed = self._expected_writable(record, role)
                for name in stored:
                    value = self._value(record, name)
                    before = record.sudo()[name]
                    tried += 1
                    outcome = "ok"
                    try:
                        with self.env.cr.savepoint():
                            record.with_user(self.users[role]).write({name: value})
                            record.env.flush_all()
                    except AccessError:
                        outcome = "refused"
                    except (UserError, ValueError, TypeError) as error:
                        # Passed the guard; a constraint refused this test value.
                        outcome = f"invalid: {error}"
                    self.env.invalidate_all()
                    if outcome != "refused":
                        let_through[f"{model_name}.{name}"].append(role)
                    if name in allowed:
                        if outcome == "refused":
                            wrongly_refused.append(f"{model_name}.{name} as {role}")
                    elif outcome != "refused":
                        forged.append(f"{model_name}.{name} as {role} ({outcome})")
                    else:
                        refused += 1
                        self.assertEqual(
                            record.sudo()[name], before, f"{model_name}.{name} changed"
                        )
        self.assertEqual(forged, [], "Writes that went around the rules")
        self.assertEqual(wrongly_refused, [], "Allow-listed writes that were refused")
        field_count = tried // len(ROLES)
        _logger.info(
            "Write matrix: %s fields x %s roles = %s direct writes, %s refused, %s let through",
            field_count,
            len(ROLES),
            tried,
            refused,
            tried - refused,
        )
        self.assertGreater(field_count, 250)
        # The README's Roles table, cell by cell: a change to a model's allow-list must
        # change this table too.
        _logger.info("Let through: %r", dict(let_through))
        self.assertEqual(dict(let_through), ALLOWED)
