from . import aftersales_zone
from . import aftersales_sla_policy
from . import aftersales_ticket_sla
from . import aftersales_ticket_sla_breach
from . import aftersales_penalty_rule
from . import aftersales_penalty
