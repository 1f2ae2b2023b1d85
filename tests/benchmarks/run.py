"""make bench: the main pages at scale 1 and scale 10, side by side, in fresh databases.

Uses PostgreSQL when DATABASE_URL is set (throwaway databases named after the one in the URL,
`<name>_1` and `<name>_10`, on that server, so runs from different checkouts don't collide),
otherwise SQLite files in a temporary folder. Both scales are seeded first, then measured in
alternating rounds (×1, ×10, ×1, …) so that a change in the machine's load falls on both alike.
Prints medians over the pooled rounds, query counts, the table rows each page shows and the ratios
that matter on a noisy 2-core machine: scale 10 / scale 1 (target ≤ 1.3, equal query counts) and
page / its bare SQL (target ≤ 3). `--markdown FILE` also writes the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCALES = (1, 10)


def _database_url(scale: int, folder: Path) -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{folder / f'bench-{scale}.sqlite3'}"
    parsed = urlparse(base)
    name = f"{parsed.path.lstrip('/') or 'bench'}_{scale}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True)
    return urlunparse(parsed._replace(path=f"/{name}"))


ROUNDS = 3  # rounds of each scale, alternated: ×1, ×10, ×1, ×10, …


def _phase(scale: int, phase: str, url: str, folder: Path, tag: str = "") -> dict:
    out = folder / f"{phase}-{scale}{tag}.json"
    env = {**os.environ, "DATABASE_URL": url, "BENCH_TMP": str(folder)}
    command = [sys.executable, str(HERE / "pages.py"), "--scale", str(scale), "--phase", phase, "--out", str(out)]
    subprocess.run(command, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def measure(folder: Path) -> list[dict]:
    """Seed both scales, then measure their pages in alternating rounds and pool each page's samples."""
    urls = {scale: _database_url(scale, folder) for scale in SCALES}
    results = {scale: {"extra": _phase(scale, "seed", urls[scale], folder), "pages": {}} for scale in SCALES}
    for round_number in range(ROUNDS):
        for scale in SCALES:
            for key, page in _phase(scale, "pages", urls[scale], folder, f"-{round_number}").items():
                pooled = results[scale]["pages"].setdefault(key, {**page, "samples_ms": [], "raw_samples_ms": []})
                pooled["samples_ms"] += page["samples_ms"]
                pooled["raw_samples_ms"] += page["raw_samples_ms"]
    for scale in SCALES:
        results[scale]["extra"].update(_phase(scale, "documents", urls[scale], folder))
        for page in results[scale]["pages"].values():
            page["median_ms"] = statistics.median(page["samples_ms"])
            page["raw_ms"] = statistics.median(page["raw_samples_ms"])
    return [results[scale] for scale in SCALES]


def table(small: dict, large: dict) -> list[str]:
    """One row per page; ⚠ where the ratio is above 1.3 or the query counts differ. "rows" are the table
    rows the page shows: where scale 1 has fewer records than a page, the page at ×10 shows more of them."""
    lines = [
        "| page | ms ×1 | ms ×10 | ratio ×10/×1 | queries ×1 | queries ×10 | rows ×1 | rows ×10 "
        "| raw SQL ms ×10 | page/raw ×10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in [*small["pages"], *(key for key in large["pages"] if key not in small["pages"])]:
        first, second = small["pages"].get(key), large["pages"].get(key)
        if first is None or second is None:  # e.g. a record page that only one scale's demo has
            shown = ["—" if page is None else f"{page['median_ms']:.1f}" for page in (first, second)]
            lines.append(f"| {key} | {shown[0]} | {shown[1]} | — ⚠ | | | | | | |")
            continue
        ratio = second["median_ms"] / first["median_ms"] if first["median_ms"] else 0
        page_raw = second["median_ms"] / second["raw_ms"] if second["raw_ms"] else 0
        flag = "" if ratio <= 1.3 and first["queries"] == second["queries"] else " ⚠"
        lines.append(
            f"| {key} | {first['median_ms']:.1f} | {second['median_ms']:.1f} | {ratio:.2f}{flag} | "
            f"{first['queries']} | {second['queries']} | {first['rows']} | {second['rows']} | "
            f"{second['raw_ms']:.1f} | {page_raw:.1f} |"
        )
    lines.append("")
    for label, result in (("×1", small), ("×10", large)):
        extra = result["extra"]
        parts = [f"seed_demo {extra['seed_seconds']:.1f} s"]
        for program, name in (("peer_support", "peer support"), ("outreach", "outreach")):
            if f"report_pdf_ms_{program}" in extra:
                parts.append(
                    f"{name} annual report PDF {extra[f'report_pdf_ms_{program}']:.0f} ms "
                    f"(CPU {extra[f'report_pdf_cpu_ms_{program}']:.0f} ms; target < 1500)"
                )
        if "render_reports_seconds" in extra:
            parts.append(f"render_reports for a 年度 {extra['render_reports_seconds']:.1f} s")
        lines.append(f"- scale {label}: " + ", ".join(parts))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", type=Path)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        results = measure(folder)
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    header = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}",
        f"Command: {'DATABASE_URL=… ' if engine == 'PostgreSQL' else ''}make bench",
        "",
    ]
    lines = header + table(*results)
    for script, title in (("import_activities.py", "activity"), ("import_contacts.py", "contact")):
        completed = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True, env=os.environ)
        lines += ["", f"Import of 10,000 {title} rows:", "", "```", completed.stdout.strip(), "```"]
    print("\n".join(lines))
    if arguments.markdown:
        arguments.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
