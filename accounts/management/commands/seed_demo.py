import importlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_BASE32, DEMO_USERS, seed_organisations_and_users
from accounts.wareki import fiscal_year_label, fiscal_year_of

PROGRAM_APPS = ("peers", "outreach", "reporting")


class Command(BaseCommand):
    help = "デモ用の組織・利用者・記録を作成します（何度実行しても重複しません）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="記録の量の倍率（10 でおよそ10年分）")

    def handle(self, *args, scale: int, **options) -> None:
        if scale < 1:
            raise CommandError("--scale は 1 以上の整数で指定してください。")
        fiscal_year = fiscal_year_of(timezone.localdate())
        with transaction.atomic():
            context = seed_organisations_and_users(scale=scale, fiscal_year=fiscal_year)
            for app_label in PROGRAM_APPS:
                module_name = f"{apps.get_app_config(app_label).name}.demo"
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as error:
                    if error.name != module_name:
                        raise
                    continue
                module.seed(context)
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"デモデータを作成しました（{fiscal_year_label(fiscal_year)}、倍率 {scale}）。")
        )
        self.stdout.write(f"ログイン（パスワードはすべて {DEMO_PASSWORD}）:")
        for username, family, given, role, _code in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {family} {given}（{role.label}）")
        self.stdout.write(f"demo-pref の2段階認証キー（認証アプリに手入力）: {DEMO_TOTP_BASE32}")
