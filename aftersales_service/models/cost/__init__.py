from . import aftersales_ticket
from . import aftersales_approval_mixin
from . import aftersales_visit
from . import account_move
from . import hr_expense
from . import repair_order
