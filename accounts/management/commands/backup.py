from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, backup


class Command(BaseCommand):
    help = "データベース（pg_dump）とアップロードファイルをフォルダにバックアップします。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", type=Path, help="バックアップを書き出すフォルダ")

    def handle(self, *args, out: Path, **options) -> None:
        try:
            manifest = backup(out, media_root=Path(settings.PRIVATE_MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(f"{out} に {rows} 行、ファイル {len(manifest['files'])} 件をバックアップしました。")
        )
