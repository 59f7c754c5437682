from . import survey_question
from . import survey_user_input
from . import survey_user_input_line
from . import aftersales_ticket_survey
from . import aftersales_evaluation_survey
from . import res_company_survey
from . import res_config_settings_survey
from . import res_partner_survey
