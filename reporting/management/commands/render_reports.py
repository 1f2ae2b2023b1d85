from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Program
from accounts.wareki import fiscal_year_label
from reporting.models import AnnualReport, ReportStatus
from reporting.pdf import JapaneseFontMissing, ensure_japanese_font, report_pdf_bytes, report_pdf_filename


class Command(BaseCommand):
    help = (
        "指定した年度の実績報告書PDFを出力します（ピアサポートは受託事業者ごと、アウトリーチは機関ごと）"
        "（承認済みは承認時に保存したPDF、それ以外は現在の内容で作成）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度（西暦の開始年。令和7年度なら 2025）")
        parser.add_argument("--out", type=Path, required=True, help="出力先のフォルダ（なければ作成）")
        parser.add_argument("--program", choices=Program.values, help="事業を限定する（peer_support または outreach）")

    def handle(self, *args, year: int, out: Path, program: str | None, **options) -> None:
        try:
            ensure_japanese_font()
        except JapaneseFontMissing as error:
            raise CommandError(error.message) from error
        reports = (
            AnnualReport.objects.filter(fiscal_year=year)
            .select_related("organisation", "agency")
            .order_by("organisation__code", "program", "agency__name")
        )
        if program:
            reports = reports.filter(program=program)
        out = Path(out)  # call_command passes options as given, without argparse types
        out.mkdir(parents=True, exist_ok=True)
        failures = []
        written = 0
        for report in reports:
            target = out / report_pdf_filename(report)
            try:
                target.write_bytes(report_pdf_bytes(report))
            except Exception as error:  # one broken report must not stop the others; reported below
                failures.append(f"{report}: {error}")
                self.stderr.write(f"失敗: {report}: {error}")
                continue
            written += 1
            source = "承認時のPDF" if report.status == ReportStatus.APPROVED and report.approved_pdf else "現在の内容"
            self.stdout.write(f"{target}（{report.get_status_display()}・{source}）")
        self.stdout.write(f"{fiscal_year_label(year)}: {written} 件のPDFを {out} に出力しました。")
        if failures:
            raise CommandError(f"{len(failures)} 件のPDFを出力できませんでした。")
