from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "組織・利用者・共通"

    def ready(self) -> None:
        from accounts import navigation, signals  # noqa: F401  (signal handlers)
        from accounts.models import Role

        navigation.register("共通", "ホーム", "home", roles=tuple(Role.values), order=0)
        navigation.register("管理", "組織一覧", "accounts:organisation_list", roles=(Role.PREFECTURE,), order=900)
        navigation.register("管理", "保健所・市町村", "accounts:district_list", roles=(Role.PREFECTURE,), order=910)
        navigation.register("管理", "監査ログ", "accounts:audit_list", roles=(Role.PREFECTURE,), order=920)
        navigation.register("管理", "ログイン制限", "accounts:lockout_list", roles=(Role.PREFECTURE,), order=930)
