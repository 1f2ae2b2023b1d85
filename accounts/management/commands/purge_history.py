from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit
from accounts.history import purge_deleted_history
from accounts.models import AuditAction


class Command(BaseCommand):
    help = (
        "削除された記録（個人情報を含むもの）の変更履歴のうち、削除から保存期間を過ぎたものを消去します。"
        "保存期間の既定値は設定 PERSONAL_HISTORY_RETENTION_YEARS です。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-years",
            type=int,
            default=None,
            help="削除からこの年数を過ぎた履歴を消去します（既定：PERSONAL_HISTORY_RETENTION_YEARS）",
        )
        parser.add_argument("--dry-run", action="store_true", help="件数を表示するだけで、消去しません")

    def handle(self, *args, older_than_years: int | None, dry_run: bool, **options) -> None:
        years = settings.PERSONAL_HISTORY_RETENTION_YEARS if older_than_years is None else older_than_years
        if years < 1:
            raise CommandError("--older-than-years は1以上の整数で指定してください。")
        cutoff = years_before(timezone.now(), years)
        with transaction.atomic():
            counts = purge_deleted_history(deleted_before=cutoff, dry_run=dry_run)
            total = sum(counts.values())
            summary = " ".join(f"{label}={count}" for label, count in counts.items())
            audit(
                None,
                AuditAction.DELETE,
                object_type="history",
                username="purge_history",
                detail=f"{'dry-run ' if dry_run else ''}older_than_years={years} rows={total} {summary}".strip(),
            )
        verb = "消去対象" if dry_run else "消去しました"
        for label, count in counts.items():
            name = apps.get_model(label)._meta.verbose_name
            self.stdout.write(f"{name}の変更履歴: {count} 件")
        when = timezone.localtime(cutoff).strftime("%Y-%m-%d")
        message = f"{when} より前に削除された記録の変更履歴 {total} 件を{verb}"
        if dry_run:
            self.stdout.write(f"{message}です（--dry-run のため消去していません）。")
        else:
            self.stdout.write(self.style.SUCCESS(f"{message}。"))


def years_before(moment, years: int):
    """The same day and time `years` years earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
