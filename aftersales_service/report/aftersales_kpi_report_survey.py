from odoo import api, fields, models

from ..models.kpi.kpi_period import period_domain


class AftersalesKpiReport(models.Model):
    _inherit = "aftersales.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    _depends = {
        "aftersales.ticket": [
            "survey_timeliness",
            "survey_attitude",
            "survey_skill",
            "survey_result",
            "survey_score",
        ],
    }

    # Answers of the satisfaction questionnaire, 1-5; empty when not answered, so that
    # an average counts the answered tickets only.
    survey_timeliness = fields.Float(string="Survey: Timeliness", readonly=True, aggregator="avg")
    survey_attitude = fields.Float(string="Survey: Attitude", readonly=True, aggregator="avg")
    survey_skill = fields.Float(string="Survey: Skill", readonly=True, aggregator="avg")
    survey_result = fields.Float(string="Survey: Result", readonly=True, aggregator="avg")
    survey_score = fields.Float(string="Survey Score (1-5)", readonly=True, aggregator="avg")

    def _select(self):
        return (
            super()._select()
            + """,
                NULLIF(t.survey_timeliness, 0) AS survey_timeliness,
                NULLIF(t.survey_attitude, 0) AS survey_attitude,
                NULLIF(t.survey_skill, 0) AS survey_skill,
                NULLIF(t.survey_result, 0) AS survey_result,
                NULLIF(t.survey_score, 0) AS survey_score
        """
        )

    @api.model
    def _kpi_values(self, group_field, date_from, date_to, domain=(), tz=None):
        """Also the average questionnaire score (``survey_score``, None without answers)
        and how many questionnaires were answered (``survey_count``)."""
        values = super()._kpi_values(group_field, date_from, date_to, domain=domain, tz=tz)
        if not values:
            return values
        tz = tz or self._aftersales_period_tz()
        groups = self.sudo()._read_group(
            [
                *period_domain("date_created", date_from, date_to, tz),
                *domain,
                ("survey_score", "!=", False),
            ],
            [group_field],
            ["survey_score:avg", "__count"],
        )
        surveys = {record: (score, count) for record, score, count in groups}
        for record, kpis in values.items():
            score, count = surveys.get(record, (None, 0))
            kpis["survey_score"] = score if count else None
            kpis["survey_count"] = count
        return values
