from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, restore, verify_restore


class Command(BaseCommand):
    help = (
        "バックアップを空のデータベースに復元し、全件が戻ったことを確認します。"
        "復元先のデータベースは事前に createdb で作成してください。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup_dir", type=Path)
        parser.add_argument("--database-name", required=True, help="復元先（空）のデータベース名（同じサーバー上）")
        parser.add_argument(
            "--media-root", type=Path, default=None, help="ファイルの復元先（既定: PRIVATE_MEDIA_ROOT）"
        )

    def handle(self, *args, backup_dir, database_name: str, media_root=None, **options) -> None:
        media_root = Path(media_root or settings.PRIVATE_MEDIA_ROOT)
        backup_dir = Path(backup_dir)
        try:
            restore(backup_dir, database_name=database_name, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        problems = verify_restore(backup_dir, database_name=database_name, media_root=media_root)
        if problems:
            raise CommandError("復元が不完全です:\n" + "\n".join(problems))
        self.stdout.write(
            self.style.SUCCESS("復元しました。すべての表の行数とファイルがバックアップと一致しています。")
        )
