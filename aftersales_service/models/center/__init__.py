from . import aftersales_service_agreement
from . import aftersales_service_agreement_rate
from . import aftersales_service_agreement_travel
from . import aftersales_service_agreement_document
from . import res_partner
from . import aftersales_ticket
from . import aftersales_visit
from . import res_users
