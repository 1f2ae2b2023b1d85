import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reporting import registry
from reporting.pdf import FONT_MISSING_MESSAGE, JapaneseFontMissing, ensure_japanese_font, render_report_pdf
from reporting.registry import Section
from reporting.services import report_submit

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_the_contractor_the_title_and_wareki_dates(peer_report_a, coordinator_a, tmp_path):
    report_submit(report=peer_report_a, by=coordinator_a)
    text = _pdf_text(render_report_pdf(peer_report_a), tmp_path)
    assert "社会福祉法人Ａ会" in text
    assert "地域移行・地域定着ピアサポート活動促進事業 実績報告書" in text
    assert "令和7年度" in text
    assert "埼玉県知事" in text
    assert "ピアサポーターの確保が課題です。" in text
    pages = [page for page in text.split("\f") if page.strip()]
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"{number}\s*/\s*{len(pages)}", page)


def test_pdf_embeds_an_ipaex_font(peer_report_a, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(peer_report_a))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    ipaex_lines = [line for line in listing.splitlines() if "IPAex" in line]
    assert ipaex_lines
    # Columns: name type encoding emb sub uni object ID; "emb" must be "yes" for every IPAex font.
    assert all(line.split()[-5] == "yes" for line in ipaex_lines), listing


def test_long_sections_span_pages_with_numbers_and_repeated_headers(peer_report_a, tmp_path):
    class LongReport(registry.DefaultPeerSupportReport):
        def build(self, organisation, fiscal_year, agency=None):
            rows = [[f"協力病院{n}", n, n * 2] for n in range(1, 121)]
            return {
                "sections": [
                    Section(key="hospitals", title="病院での活動", headers=["病院名", "回数", "参加者"], rows=rows)
                ]
            }

    with registry.replaced(peer_report_a.program, LongReport()):
        pdf = render_report_pdf(peer_report_a)
    text = _pdf_text(pdf, tmp_path)
    pages = text.split("\f")
    assert re.search(r"1\s*/\s*\d", pages[0])
    assert sum("病院名" in page for page in pages) >= 2  # the header row is repeated on the next page


def test_missing_japanese_font_gives_a_japanese_error(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin.exists():
        shutil.copy(latin, fonts / latin.name)
    with pytest.raises(JapaneseFontMissing) as error:
        ensure_japanese_font([fonts])
    assert error.value.message == FONT_MISSING_MESSAGE
    assert "日本語フォント（fonts-ipaexfont）がインストールされていません" in str(error.value)


def test_the_font_check_accepts_a_directory_with_ipaex(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf", fonts / "ipaexm.ttf")
    ensure_japanese_font([fonts])


def test_pdf_download_shows_the_font_error_instead_of_a_pdf(client_for, coordinator_a, peer_report_a, monkeypatch):
    from django.urls import reverse

    def no_font(font_directories=None):
        raise JapaneseFontMissing()

    monkeypatch.setattr("reporting.pdf.ensure_japanese_font", no_font)
    response = client_for(coordinator_a).get(reverse("reporting:report_pdf", args=[peer_report_a.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "日本語フォント（fonts-ipaexfont）がインストールされていません" in response.text
