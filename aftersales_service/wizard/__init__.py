from . import aftersales_ticket_assign
from . import aftersales_ticket_reason
from . import aftersales_ticket_warranty_override
from . import aftersales_warranty_extension_assign
from . import aftersales_warranty_void
from . import aftersales_ticket_return
from . import aftersales_ticket_followup
from . import aftersales_evaluation_generate
