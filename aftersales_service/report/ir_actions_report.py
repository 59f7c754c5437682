from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        # /report/<converter>/<report>/<ids> is open to every logged-in user (portal too):
        # the add-on's printouts first check that the caller may read every record printed,
        # whatever their templates or report models read afterwards. The portal's own
        # routes print in sudo after their own check.
        if report.report_name.startswith("aftersales_service.") and docids and not self.env.su:
            self.env[report.model].browse(docids).check_access("read")
        return super()._get_rendering_context(report, docids, data)
