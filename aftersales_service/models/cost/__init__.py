from . import hr_expense
from . import aftersales_visit
