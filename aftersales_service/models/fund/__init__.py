from . import aftersales_fee_waiver
from . import aftersales_ticket_waiver
from . import aftersales_fund_move
from . import account_move
