from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.import_registry import import_kinds, template_xlsx
from accounts.imports import ImportFileError, read_upload, run_import
from accounts.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = (
        "受託事業者の過去の記録を取り込みます（画面の取込と同じ規則・メッセージ）。"
        "例: import_records activities 活動.xlsx --organisation midori --dry-run ／ "
        "import_records clients 対象者.csv --agency 春日部自立相談支援センター ／ "
        "import_records activities --template 活動.xlsx。誤りが1件でもあれば何も保存せず、終了コード 1 で終わります。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="取込の種類: " + ", ".join(sorted(import_kinds())))
        parser.add_argument("file", nargs="?", type=Path, help="取り込む .xlsx または .csv")
        parser.add_argument("--organisation", help="取込先の受託事業者の組織コード")
        parser.add_argument(
            "--agency",
            help="アウトリーチの種類（clients, contacts）の取込先の自立相談支援機関（機関名または番号）。"
            "機関が1つだけの受託事業者なら省略できます。機関名だけでも受託事業者が決まります。",
        )
        parser.add_argument("--dry-run", action="store_true", help="確認だけして何も保存しない")
        parser.add_argument("--template", type=Path, help="テンプレート（.xlsx）をこのファイルに書き出す")

    def handle(self, *args, kind, file, organisation, agency, dry_run, template, **options) -> None:
        import_kind = import_kinds().get(kind)
        if import_kind is None:
            raise CommandError(f"取込の種類「{kind}」はありません。使える種類: {', '.join(sorted(import_kinds()))}")
        if template:
            Path(template).write_bytes(template_xlsx(import_kind))
            self.stdout.write(self.style.SUCCESS(f"テンプレートを {template} に書き出しました。"))
            return
        accepts_agency = import_kind.resource_class.accepts_agency
        if agency and not accepts_agency:
            agency_kinds = sorted(key for key, k in import_kinds().items() if k.resource_class.accepts_agency)
            raise CommandError(f"--agency は機関ごとに取り込む種類（{', '.join(agency_kinds)}）だけで使えます。")
        if not file or not (organisation or agency):
            raise CommandError("取り込むファイルと --organisation（組織コード）を指定してください。")
        target = None
        if organisation:
            target = Organisation.objects.filter(code=organisation, kind=OrganisationKind.CONTRACTOR).first()
            if target is None:
                raise CommandError(f"組織コード「{organisation}」の受託事業者はありません。")
        extra = {}
        if agency:
            try:
                extra["agency"] = import_kind.resource_class.find_agency(agency, organisation=target)
            except ImportFileError as error:
                raise CommandError(str(error)) from error
            target = extra["agency"].organisation
        file = Path(file)
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"ファイル「{file}」が見つかりません。パスを確かめてください。") from None
        except IsADirectoryError:
            raise CommandError(f"「{file}」はフォルダです。取り込む .xlsx または .csv を指定してください。") from None
        except OSError as error:
            raise CommandError(f"ファイル「{file}」を読めません（{error.strerror or error}）。") from None
        try:
            dataset = read_upload(file.name, content)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        resource = import_kind.resource_class(organisation=target, user=None, **extra)
        outcome = run_import(resource, dataset, dry_run=dry_run, required=import_kind.required_columns)
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError(f"誤りが {len(outcome.errors)} 件あります。何も保存していません。")
        where = f"{target.name}（{extra['agency'].name}）" if extra else target.name
        verb = "取り込めます（確認のみ・保存していません）" if dry_run else "取り込みました"
        unchanged = f"（変更なし {outcome.unchanged} 件）" if outcome.unchanged else ""
        if outcome.examples:
            unchanged += f"（記入例の行 {outcome.examples} 件は取り込みません）"
        self.stdout.write(
            self.style.SUCCESS(f"{where}: 新規 {outcome.new} 件、更新 {outcome.update} 件を{verb}{unchanged}。")
        )
