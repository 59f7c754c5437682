from . import aftersales_kpi_report
from . import aftersales_quality_report
from . import report_quality_monthly
from . import ir_actions_report
from . import aftersales_kpi_report_survey
from . import aftersales_quality_report_supplier
from . import aftersales_kpi_report_cost
