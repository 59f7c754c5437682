from . import aftersales_contract
from . import aftersales_ticket_contract
