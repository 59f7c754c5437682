from . import aftersales_category
from . import aftersales_tag
from . import aftersales_team
from . import aftersales_ticket
from . import res_company
from . import res_config_settings
from . import res_partner
from . import stock_lot
