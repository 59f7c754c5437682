from . import test_ticket_lifecycle
from . import test_ticket_access
from . import test_ticket_data
from . import test_multi_company
from . import test_wizards
from . import test_ui
from . import test_warranty
from . import test_service_execution
