from . import aftersales_kpi_report
from . import aftersales_quality_report
from . import report_quality_monthly
from . import ir_actions_report
from . import aftersales_kpi_report_survey
from . import aftersales_kpi_report_complaint
from . import aftersales_complaint_report
from . import aftersales_quality_report_complaint
