from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "地域移行・地域定着ピアサポート活動促進事業"

    def ready(self) -> None:
        from accounts import home, navigation
        from accounts.models import Role
        from peers import signals  # noqa: F401  (scan clean-up)
        from peers.home import coordinator_panel
        from peers.resources import register_kinds

        section = "ピアサポート"
        both = (Role.PREFECTURE, Role.COORDINATOR)
        entries = [
            ("活動記録", "peers:activity_list", both),
            ("月間表示", "peers:activity_month", both),
            ("ピアサポーター", "peers:supporter_list", both),
            ("支援対象者", "peers:person_list", both),
            ("講座", "peers:course_list", both),
            ("協議の場への報告", "peers:council_list", both),
            ("経理", "peers:expenditure_list", both),
            ("委託契約", "peers:contract_list", both),
            ("コーディネーター", "peers:coordinator_list", both),
            ("保健所の活動", "peers:hc_activity_list", (Role.PREFECTURE, Role.HEALTH_CENTRE)),
            ("精神科病院", "peers:hospital_list", (Role.PREFECTURE, Role.COORDINATOR, Role.HEALTH_CENTRE)),
        ]
        for order, (label, url_name, roles) in enumerate(entries):
            navigation.register(section, label, url_name, roles=roles, order=100 + order)
        navigation.register(section, "Excel・CSV取込", "accounts:import_index", roles=(Role.COORDINATOR,), order=150)
        register_kinds()
        home.register_panel("peers/home_panel.html", roles=(Role.COORDINATOR,), context=coordinator_panel, order=100)
