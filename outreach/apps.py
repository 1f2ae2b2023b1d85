from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "自立相談支援機能強化事業"

    def ready(self) -> None:
        from accounts import home, navigation
        from accounts.models import Role
        from outreach.resources import register_kinds
        from outreach.views.home import worker_panel_context

        readers = (Role.PREFECTURE, Role.OUTREACH_WORKER)
        section = "アウトリーチ"
        for order, (label, url_name, roles) in enumerate(
            [
                ("支援対象者", "outreach:client_list", readers),
                ("対応記録", "outreach:contact_list", readers),
                ("支援計画", "outreach:plan_list", readers),
                ("つなぎ", "outreach:linkage_list", readers),
                ("成果", "outreach:outcome_list", readers),
                ("支援調整会議", "outreach:meeting_list", readers),
                ("実績の集計", "outreach:summary", readers),
                ("機関", "outreach:agency_list", readers),
                ("支援員", "outreach:worker_list", readers),
                ("委託契約", "outreach:contract_list", readers),
                ("社会資源", "outreach:resource_list", readers),
                ("氷河期世代の範囲", "outreach:cohort", (Role.PREFECTURE,)),
            ]
        ):
            navigation.register(section, label, url_name, roles=roles, order=300 + order)
        navigation.register("共通", "Excel・CSV取込", "accounts:import_index", roles=(Role.OUTREACH_WORKER,), order=350)
        register_kinds()
        home.register_panel(
            "outreach/home_panel.html", roles=(Role.OUTREACH_WORKER,), context=worker_panel_context, order=300
        )
