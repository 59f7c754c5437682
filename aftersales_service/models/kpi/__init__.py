from . import aftersales_ticket_kpi
from . import aftersales_evaluation
from . import hr_employee
