from . import aftersales_budget
from . import aftersales_budget_line
