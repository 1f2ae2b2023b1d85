from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "実績報告・集計"

    def ready(self) -> None:
        from accounts import home, navigation
        from accounts.models import Role
        from reporting import panels
        from reporting.builders import outreach, peer_support  # noqa: F401  (register the programs' reports)
        from reporting.overview_panels import outreach_overview_panel, peer_overview_panel
        from reporting.registry import register_overview_panel

        register_overview_panel("reporting/panels/peer_overview.html", peer_overview_panel)
        register_overview_panel("reporting/panels/outreach_overview.html", outreach_overview_panel)

        contractor_roles = (Role.COORDINATOR, Role.OUTREACH_WORKER)
        navigation.register(
            "実績報告", "実績報告書", "reporting:report_list", roles=(Role.PREFECTURE, *contractor_roles), order=700
        )
        navigation.register("実績報告", "提出状況の概観", "reporting:overview", roles=(Role.PREFECTURE,), order=710)
        navigation.register(
            "実績報告", "区域の集計", "reporting:district_index", roles=(Role.PREFECTURE, Role.HEALTH_CENTRE), order=720
        )
        home.register_panel(
            "reporting/panels/district.html", roles=(Role.HEALTH_CENTRE,), context=panels.district_panel, order=50
        )
        home.register_panel(
            "reporting/panels/contractor.html", roles=contractor_roles, context=panels.contractor_panel, order=50
        )
        home.register_panel(
            "reporting/panels/prefecture.html", roles=(Role.PREFECTURE,), context=panels.prefecture_panel, order=50
        )
