from . import aftersales_ticket_assign
from . import aftersales_ticket_reason
