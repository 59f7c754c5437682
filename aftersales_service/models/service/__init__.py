from . import aftersales_visit
from . import aftersales_visit_part
from . import aftersales_visit_field_work
from . import repair_order
