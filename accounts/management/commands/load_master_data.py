from django.core.management.base import BaseCommand

from accounts.master_data import load_master_data
from accounts.models import FiscalYear, HealthCentre, Municipality


class Command(BaseCommand):
    help = "保健所・市町村・年度のマスタデータを読み込みます（何度実行しても同じ結果になります）。"

    def handle(self, *args, **options) -> None:
        centres, municipalities = load_master_data(HealthCentre, Municipality, FiscalYear)
        self.stdout.write(self.style.SUCCESS(f"保健所 {centres} 件、市町村 {municipalities} 件を読み込みました。"))
