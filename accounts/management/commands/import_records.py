from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.import_registry import import_kinds, template_xlsx
from accounts.imports import ImportFileError, read_upload, run_import
from accounts.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = (
        "受託事業者の過去の記録を取り込みます（画面の取込と同じ規則・メッセージ）。"
        "例: import_records activities 活動.xlsx --organisation midori --dry-run ／ "
        "import_records activities --template 活動.xlsx"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="取込の種類: " + ", ".join(sorted(import_kinds())))
        parser.add_argument("file", nargs="?", type=Path, help="取り込む .xlsx または .csv")
        parser.add_argument("--organisation", help="取込先の受託事業者の組織コード")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして何も保存しない")
        parser.add_argument("--template", type=Path, help="テンプレート（.xlsx）をこのファイルに書き出す")

    def handle(self, *args, kind, file, organisation, dry_run, template, **options) -> None:
        import_kind = import_kinds().get(kind)
        if import_kind is None:
            raise CommandError(f"取込の種類「{kind}」はありません。使える種類: {', '.join(sorted(import_kinds()))}")
        if template:
            Path(template).write_bytes(template_xlsx(import_kind))
            self.stdout.write(self.style.SUCCESS(f"テンプレートを {template} に書き出しました。"))
            return
        if not file or not organisation:
            raise CommandError("取り込むファイルと --organisation（組織コード）を指定してください。")
        target = Organisation.objects.filter(code=organisation, kind=OrganisationKind.CONTRACTOR).first()
        if target is None:
            raise CommandError(f"組織コード「{organisation}」の受託事業者はありません。")
        file = Path(file)
        try:
            dataset = read_upload(file.name, file.read_bytes())
        except (ImportFileError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        resource = import_kind.resource_class(organisation=target, user=None)
        outcome = run_import(resource, dataset, dry_run=dry_run, required=import_kind.required_columns)
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(f"誤りが {len(outcome.errors)} 件あります。何も保存していません。")
        verb = "取り込めます（確認のみ・保存していません）" if dry_run else "取り込みました"
        self.stdout.write(
            self.style.SUCCESS(f"{target.name}: 新規 {outcome.new} 件、更新 {outcome.update} 件を{verb}。")
        )
