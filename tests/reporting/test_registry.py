import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Program
from reporting import registry
from reporting.pdf import render_report_pdf
from reporting.registry import Finding, ReportBuilder, Section, builder_for, register_report


class HospitalReport(ReportBuilder):
    title = "地域移行・地域定着ピアサポート活動促進事業 実績報告書"
    text_fields = ("outcomes_text", "issues_text")

    def build(self, organisation, fiscal_year, agency=None):
        return {
            "sections": [
                Section(
                    key="hospitals",
                    title="第4条1(1)ア 病院での活動",
                    headers=["病院", "回数", "参加者"],
                    rows=[["さいたま病院", 12, 87], ["くまがや病院", 6, 30]],
                    footer=["合計", 18, 117],
                )
            ]
        }

    def checks(self, organisation, fiscal_year, report, agency=None):
        return [*super().checks(organisation, fiscal_year, report), Finding("warning", "協力病院が2か所です")]


@pytest.fixture
def hospital_builder():
    with registry.replaced(Program.PEER_SUPPORT, HospitalReport()) as builder:
        yield builder


def test_register_report_replaces_the_default_builder():
    from reporting.builders.outreach import OutreachReport
    from reporting.builders.peer_support import PeerSupportReport

    registered = builder_for(Program.PEER_SUPPORT)
    assert registered.__class__ is PeerSupportReport
    try:

        @register_report(Program.PEER_SUPPORT)
        class Custom(ReportBuilder):
            title = "独自の報告書"

        assert builder_for(Program.PEER_SUPPORT).title == "独自の報告書"
        assert builder_for(Program.PEER_SUPPORT).program == Program.PEER_SUPPORT
        assert builder_for(Program.OUTREACH).__class__ is OutreachReport  # the other program keeps its own
    finally:
        registry._builders[Program.PEER_SUPPORT] = registered


def test_register_report_rejects_an_unknown_program():
    with pytest.raises(ValueError):
        register_report("hikikomori")


def test_default_outreach_builder_only_asks_for_issues(make_report, contractor_a):
    report = make_report(contractor_a, Program.OUTREACH)
    default = registry._DEFAULTS[Program.OUTREACH]  # the outreach builder proper replaces it once registered
    messages = [f.message for f in default.checks(contractor_a, 2025, report)]
    assert messages == ["「課題及び今後の取組」が未記入です。"]


def test_builder_sections_appear_on_the_page_pdf_and_excel(
    hospital_builder, client_for, coordinator_a, peer_report_a, tmp_path
):
    client = client_for(coordinator_a)
    page = client.get(reverse("reporting:report_detail", args=[peer_report_a.pk]))
    assert "2　第4条1(1)ア 病院での活動" in page.text
    assert "さいたま病院" in page.text
    assert "協力病院が2か所です" in page.text
    report_part = page.text.split("変更履歴")[0]  # the change history below names every changed field
    assert "事業の効果" not in report_part  # not one of this builder's text fields

    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(peer_report_a))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "さいたま病院" in text and "117" in text

    workbook = load_workbook(io.BytesIO(client.get(reverse("reporting:report_xlsx", args=[peer_report_a.pk])).content))
    assert workbook.sheetnames == ["表紙・概要", "第4条1(1)ア 病院での活動", "成果・効果・課題", "経過"]
    rows = list(workbook["第4条1(1)ア 病院での活動"].iter_rows(values_only=True))
    assert rows == [("病院", "回数", "参加者"), ("さいたま病院", 12, 87), ("くまがや病院", 6, 30), ("合計", 18, 117)]
