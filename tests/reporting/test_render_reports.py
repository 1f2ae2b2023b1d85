import subprocess

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Program
from reporting.services import report_approve, report_submit


def test_render_reports_writes_one_pdf_per_report_of_the_year(
    tmp_path, capsys, make_report, peer_report_a, outreach_report_a, contractor_b, coordinator_a, prefecture_user
):
    make_report(contractor_b, Program.PEER_SUPPORT)
    make_report(contractor_b, Program.PEER_SUPPORT, year=2024)  # another year: not written
    report_submit(report=peer_report_a, by=coordinator_a)
    report_approve(report=peer_report_a, by=prefecture_user)
    out = tmp_path / "out"
    call_command("render_reports", "--year", "2025", "--out", str(out))
    written = sorted(path.name for path in out.iterdir())
    agency = outreach_report_a.agency.name
    assert written == sorted(
        [
            "令和7年度_実績報告書_社会福祉法人Ａ会_ピアサポート.pdf",
            f"令和7年度_実績報告書_社会福祉法人Ａ会_{agency}_アウトリーチ.pdf",
            "令和7年度_実績報告書_特定非営利活動法人Ｂ_ピアサポート.pdf",
        ]
    )
    with peer_report_a.approved_pdf.open("rb") as stored:
        assert (out / "令和7年度_実績報告書_社会福祉法人Ａ会_ピアサポート.pdf").read_bytes() == stored.read()
    assert "3 件のPDF" in capsys.readouterr().out


def test_render_reports_can_limit_to_one_program(tmp_path, peer_report_a, outreach_report_a):
    call_command("render_reports", "--year", "2025", "--out", str(tmp_path), "--program", "outreach")
    agency = outreach_report_a.agency.name
    assert [path.name for path in tmp_path.glob("*.pdf")] == [
        f"令和7年度_実績報告書_社会福祉法人Ａ会_{agency}_アウトリーチ.pdf"
    ]
    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "自立相談支援機能強化事業 実績報告書" in text
    assert "対応の種別・月別件数" in text and "土日祝日・時間外の相談" in text


def test_render_reports_fails_without_a_japanese_font(tmp_path, peer_report_a, monkeypatch):
    from reporting.pdf import JapaneseFontMissing

    def no_font(font_directories=None):
        raise JapaneseFontMissing()

    monkeypatch.setattr("reporting.management.commands.render_reports.ensure_japanese_font", no_font)
    with pytest.raises(CommandError, match="日本語フォント"):
        call_command("render_reports", "--year", "2025", "--out", str(tmp_path))
