"""PDF of a report: WeasyPrint, in-process, from the same template and numbers as the page.

Before rendering we make sure a Japanese font is installed: without one WeasyPrint would
silently draw every kanji as a blank box (tofu), and a contractor would submit nonsense.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from accounts.wareki import fiscal_year_label

IPAEX_FONT_FILES = (
    Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
)
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
FONT_MISSING_MESSAGE = (
    "日本語フォント（fonts-ipaexfont）がインストールされていません。このままではPDFの文字が表示されないため、"
    "PDFを作成しませんでした。サーバー管理者に「apt-get install fonts-ipaexfont」の実行を依頼してください。"
)


class JapaneseFontMissing(Exception):
    """No font that covers Japanese is installed: a PDF would show blank boxes."""

    def __init__(self, message: str = FONT_MISSING_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def _font_covers_japanese(path: Path) -> bool:
    """Ask fontconfig which languages a font file covers (fc-scan); by name if fc-scan is missing."""
    if shutil.which("fc-scan"):
        result = subprocess.run(
            ["fc-scan", "--format", "%{lang}\n", str(path)], capture_output=True, text=True, timeout=20, check=False
        )
        return any("ja" in line.split("|") for line in result.stdout.splitlines())
    return "ipaex" in path.name.lower() or "cjk" in path.name.lower()


def japanese_fonts_in(directories: Iterable[Path]) -> list[Path]:
    """Font files under `directories` that cover Japanese."""
    found = []
    for directory in directories:
        for path in sorted(Path(directory).rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file() and _font_covers_japanese(path):
                found.append(path)
    return found


@lru_cache(maxsize=1)
def _system_has_japanese_font() -> bool:
    # Fonts do not appear or vanish while the process runs: ask fontconfig once.
    if shutil.which("fc-list"):
        result = subprocess.run(
            ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, timeout=20, check=False
        )
        if result.returncode == 0:
            return bool(result.stdout.strip())
    return any(path.exists() for path in IPAEX_FONT_FILES)


def ensure_japanese_font(font_directories: Iterable[Path] | None = None) -> None:
    """Raise JapaneseFontMissing (a Japanese message for the user) unless a Japanese font is installed.

    Without `font_directories` the system's fontconfig is asked (`fc-list :lang=ja`); with them,
    only the fonts in those directories count.
    """
    available = (
        bool(japanese_fonts_in(font_directories)) if font_directories is not None else _system_has_japanese_font()
    )
    if not available:
        raise JapaneseFontMissing()


def report_html(report, *, document: dict | None = None) -> str:
    from reporting.selectors import report_document

    return render_to_string("reporting/pdf/document.html", document or report_document(report))


def render_report_pdf(report, *, document: dict | None = None) -> bytes:
    """The report as A4 PDF bytes, with IPAex fonts embedded."""
    from weasyprint import HTML

    ensure_japanese_font()
    return HTML(string=report_html(report, document=document), base_url=str(settings.BASE_DIR)).write_pdf()


def report_pdf_filename(report, extension: str = "pdf") -> str:
    """令和7年度_実績報告書_社会福祉法人みどり会_ピアサポート.pdf (outreach: the agency after the contractor)."""
    short = {"peer_support": "ピアサポート", "outreach": "アウトリーチ"}.get(report.program, report.program)
    reporter = f"{report.organisation.name}_{report.agency.name}" if report.agency_id else report.organisation.name
    name = "".join(c for c in reporter if c not in '\\/:*?"<>|').strip()
    return f"{fiscal_year_label(report.fiscal_year)}_実績報告書_{name}_{short}.{extension}"


def report_pdf_bytes(report) -> bytes:
    """The stored PDF of an approved report (never re-rendered); a fresh rendering otherwise."""
    if report.status == "approved" and report.approved_pdf:
        with report.approved_pdf.open("rb") as stored:
            return stored.read()
    return render_report_pdf(report)
