from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestChinese(AftersalesCommon):
    """The zh_CN translation loads and speaks the after-sales team's words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_model_menu_field_and_selection_labels(self):
        zh = self.zh
        self.assertEqual(zh["ir.model"]._get("aftersales.ticket").name, "售后工单")
        self.assertEqual(zh.ref("aftersales_service.menu_aftersales_root").name, "售后")
        fields = zh["aftersales.ticket"].fields_get(
            ["is_repeat_repair", "state", "followup_outcome"]
        )
        self.assertEqual(fields["is_repeat_repair"]["string"], "二次返修")
        self.assertEqual(fields["followup_outcome"]["string"], "回访")
        self.assertIn(("in_progress", "处理中"), fields["state"]["selection"])
        self.assertEqual(zh.ref("aftersales_service.category_technical_fault").name, "技术故障")
        self.assertEqual(zh.ref("aftersales_service.action_report_visit").name, "服务报告")

    def test_error_messages_in_chinese(self):
        ticket = self._in_progress_ticket()
        with self.assertRaisesRegex(UserError, "请先填写故障原因和解决方案"):
            ticket.with_user(self.tech_user).with_context(lang="zh_CN").action_resolve()
        with self.assertRaisesRegex(UserError, "请描述问题"):
            self.zh["aftersales.ticket"]._portal_prepare_request(self.customer, description=" ")
