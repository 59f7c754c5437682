from . import portal
from . import complaint_portal
from . import center_portal
from . import center_settlement_portal
