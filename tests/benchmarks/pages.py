"""Measure the main pages at one scale (run by run.py; not a pytest module).

    python tests/benchmarks/pages.py --scale 10 --phase seed --out seed.json       # migrate, seed_demo, ANALYZE
    python tests/benchmarks/pages.py --scale 10 --phase pages --out round-1.json   # one round of the pages
    python tests/benchmarks/pages.py --scale 10 --phase documents --out docs.json  # report PDFs, render_reports

For every menu page of each demo role, a client timeline, a supporter and the annual report pages and
PDF: the times of repeated requests, the number of queries, the table rows shown, and the time of the
page's own SELECT statements run bare through connection.cursor() (page/raw shows what Django, Python
and the template add). run.py alternates rounds of the two scales so that the machine's drift in load
falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Served pages are measured, not static files: skip the collectstatic manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts import navigation  # noqa: E402
from accounts.models import User  # noqa: E402

ROLES = ["demo-pref", "demo-coord-a", "demo-outreach-a", "demo-hc"]
REPEAT = 7
PDF_REPEAT = 3  # a PDF takes a second: fewer repetitions


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    if user.two_factor_required:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _final_url(client: Client, url: str) -> str:
    """Where `url` lands: a menu entry may redirect (the health centre's 区域の集計 goes to its district)."""
    for _ in range(5):
        response = client.get(url)
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        url = response.url
    return url


def _measure(client: Client, url: str, repeat: int = REPEAT) -> dict:
    url = _final_url(client, url)  # also warms caches and templates
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    raw_times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        raw_times.append(time.perf_counter() - start)
    return {
        "url": url,
        "status": response.status_code,
        "samples_ms": [t * 1000 for t in times],
        "queries": len(captured.captured_queries),
        "raw_samples_ms": [t * 1000 for t in raw_times],
        "rows": _table_rows(response),
    }


def _table_rows(response) -> int:
    """Rows of data the page shows (its tables' body rows): at scale 1 a list may show fewer than a page."""
    if hasattr(response, "streaming_content") or "html" not in response.get("Content-Type", ""):
        return 0
    html = response.content.decode("utf-8", errors="ignore")
    return sum(body.count("<tr") for body in re.findall(r"<tbody.*?</tbody>", html, re.S))


PROGRAM_NAMES = {"peer_support": "ピアサポート", "outreach": "アウトリーチ"}


def _detail_urls(username: str) -> list[tuple[str, str, int]]:
    """Object pages worth measuring: a client timeline, a supporter, each program's annual report and its PDF.

    Labels differ from the menu's (the menu's 実績報告書 is the list of reports). The report chosen is
    one not yet approved where there is one, so its PDF is rendered rather than read from storage.
    """
    user = User.objects.get(username=username)
    urls = []
    candidates = [
        ("outreach.Client", "outreach:client_detail", "クライアントのタイムライン"),
        ("peers.PeerSupporter", "peers:supporter_detail", "ピアサポーター詳細"),
    ]
    from django.apps import apps

    for label, url_name, title in candidates:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        obj = model.objects.visible_to(user).order_by("pk").first()
        if obj is None:
            continue
        try:
            urls.append((title, reverse(url_name, args=[obj.pk]), REPEAT))
        except NoReverseMatch:
            continue
    from reporting.models import AnnualReport

    reports = AnnualReport.objects.visible_to(user)
    for program, name in PROGRAM_NAMES.items():
        of_program = reports.filter(program=program)
        report = of_program.exclude(status="approved").order_by("pk").first() or of_program.order_by("pk").first()
        if report is None:
            continue
        urls.append((f"実績報告書の詳細（{name}）", reverse("reporting:report_detail", args=[report.pk]), REPEAT))
        urls.append((f"実績報告書PDF（{name}）", reverse("reporting:report_pdf", args=[report.pk]), PDF_REPEAT))
    return urls


def seed(scale: int) -> dict:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=scale, verbosity=0)
    seed_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # A live database has planner statistics (autovacuum keeps them); a freshly bulk-loaded one
        # has none, and PostgreSQL then misjudges every row count and picks sorts over indexes.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"seed_seconds": seed_seconds}


def measure_pages() -> dict:
    pages = {}
    for username in ROLES:
        user = User.objects.get(username=username)
        client = _client(user)
        labels = [item["label"] for _s, items in navigation.sections_for(user.role) for item in items]
        entries = [
            # Both programs have a 支援対象者 and a 委託契約 menu entry: the section tells them apart.
            (label if labels.count(label) == 1 else f"{label}（{section}）", item["url"], REPEAT)
            for section, items in navigation.sections_for(user.role)
            for item in items
            for label in [item["label"]]
        ]
        entries += _detail_urls(username)
        for label, url, repeat in entries:
            pages[f"{username} {label}"] = _measure(client, url, repeat)
    return pages


def measure_documents(scale: int) -> dict:
    """The annual report PDF of each program (CPU time too) and render_reports for a whole 年度."""
    from reporting.models import AnnualReport
    from reporting.pdf import render_report_pdf

    extra = {}
    year = None
    for program in PROGRAM_NAMES:
        report = AnnualReport.objects.filter(program=program).order_by("pk").first()
        if report is None:
            continue
        year = report.fiscal_year
        render_report_pdf(report)
        times, cpu = [], []
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            render_report_pdf(report)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        extra[f"report_pdf_ms_{program}"] = statistics.median(times) * 1000
        extra[f"report_pdf_cpu_ms_{program}"] = statistics.median(cpu) * 1000
    if year is not None:
        out = Path(os.environ.get("BENCH_TMP", "/tmp")) / f"bench-reports-{scale}"
        start = time.perf_counter()
        call_command("render_reports", year=year, out=str(out), verbosity=0)
        extra["render_reports_seconds"] = time.perf_counter() - start
    return extra


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--phase", choices=["seed", "pages", "documents"], required=True)
    arguments = parser.parse_args()
    if arguments.phase == "seed":
        result = seed(arguments.scale)
    elif arguments.phase == "pages":
        result = measure_pages()
    else:
        result = measure_documents(arguments.scale)
    arguments.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
