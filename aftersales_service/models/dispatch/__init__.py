from . import aftersales_team
from . import aftersales_ticket
