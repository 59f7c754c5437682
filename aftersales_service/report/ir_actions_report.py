import functools
import subprocess

from odoo import models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def _wkhtmltopdf_prints_headers():
    """Only a wkhtmltopdf built on its patched Qt prints Odoo's page headers; the one
    Debian and Ubuntu ship does not, and the company vanished from the printouts."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        return False
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        # /report/<converter>/<report>/<ids> is open to every logged-in user (portal too):
        # the add-on's printouts first check that the caller may read every record printed,
        # whatever their templates or report models read afterwards. The portal's own
        # routes print in sudo after their own check.
        ours = report.report_name.startswith("aftersales_service.")
        if ours and docids and not self.env.su:
            self.env[report.model].browse(docids).check_access("read")
        context = super()._get_rendering_context(report, docids, data)
        if ours:
            context["aftersales_company_in_body"] = (
                context.get("report_type") == "pdf" and not _wkhtmltopdf_prints_headers()
            )
        return context
