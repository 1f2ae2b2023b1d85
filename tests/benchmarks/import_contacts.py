"""Benchmark: import 10,000 contact rows (対応記録) of 200 clients into a throwaway database.

Not collected by pytest (no test_ prefix). Run from the checkout:

    DJANGO_SECRET_KEY=x .venv/bin/python tests/benchmarks/import_contacts.py [ROWS]

SQLite by default (a temporary file); with DATABASE_URL=postgres://… a `bench_…` database is
created next to the named one and dropped afterwards (see import_activities.py). Prints the time
of the real, atomic import the confirm screen runs, this process's CPU time, the queries per 1,000
rows, then the same for the same file imported again (every row found by its key) and for the file
with every row's 内容 changed (every row an update).
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.import_activities import (  # also sets the settings module
    migrate_fresh,
    throwaway_database,
    timed_import,
)

CLIENTS = 200
KINDS = ("自宅訪問", "電話", "来所面談", "同行相談", "メール・手紙")


def seed():
    from accounts.models import Role
    from tests.factories import OrganisationFactory, make_user
    from tests.outreach.factories import AgencyFactory, ClientFactory, WorkerFactory

    organisation = OrganisationFactory(code="bench", name="社会福祉法人ベンチ会")
    user = make_user(Role.OUTREACH_WORKER, organisation, username="bench-worker", last_name="支援", first_name="一郎")
    agency = AgencyFactory(organisation=organisation, name="ベンチ自立相談支援センター")
    WorkerFactory(user=user, agency=agency)
    clients = [ClientFactory(agency=agency, number=f"2025-{n:04d}") for n in range(1, CLIENTS + 1)]
    return organisation, user, clients


def contact_csv(rows: int, clients) -> bytes:
    """Each client's contacts on successive days from 2025/4/1 (weekends and holidays included),
    its first contact with the person marked as the first connection (the outcome つながりの確保)."""
    header = ["ケース番号", "日付", "開始時刻", "終了時刻", "種別", "本人", "家族", "関係機関", "関係機関名"]
    header += ["本人との初めてのつながり", "支援員", "内容"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    first = date(2025, 4, 1)
    for i in range(rows):
        client = clients[i % len(clients)]
        round_ = i // len(clients)
        day = first + timedelta(days=round_ % 360)
        start = datetime(2000, 1, 1, 8, 0) + timedelta(minutes=30 * (round_ // 360) + (i % 7) * 60)
        with_person = round_ % 2 == 0
        writer.writerow(
            [
                client.number,
                f"R7.{day.month}.{day.day}" if day.year == 2025 else f"{day:%Y/%m/%d}",
                f"{start:%H:%M}",
                f"{start + timedelta(minutes=45):%H:%M}",
                KINDS[i % len(KINDS)],
                "はい" if with_person else "",
                "" if with_person else "はい",
                "",
                "",
                "はい" if round_ == 0 else "",
                "支援 一郎",
                "本人と面談。生活の様子を聞き取った。" if with_person else "母親から電話で近況を聞いた。",
            ]
        )
    return buffer.getvalue().encode("cp932")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    where, clean_up = throwaway_database()
    try:
        migrate_fresh(where)
        from accounts.imports import MAX_ROWS
        from outreach.models import Contact, Outcome

        organisation, user, clients = seed()
        content = contact_csv(min(rows, MAX_ROWS), clients)

        def run(label: str, content: bytes):
            done = timed_import("contacts", "対応記録.csv", content, organisation=organisation, user=user)
            outcome = done.outcome
            print(
                f"{label}: {done.rows:,} rows (cp932 CSV, {len(content) / 1024:.0f} KiB, read in"
                f" {done.read_seconds:.2f} s) in {done.seconds:.1f} s, {done.rows / done.seconds:,.0f} rows/s"
                f" (this process's CPU: {done.cpu_seconds:.1f} s)"
            )
            print(
                f"  queries: {done.queries:,} ({done.queries * 1000 / done.rows:,.0f} per 1,000 rows);"
                f" new {outcome.new:,}, updated {outcome.update:,}, unchanged {outcome.unchanged:,}"
            )

        run("import", content)
        print(f"written: {Contact.objects.count():,} contacts, {Outcome.objects.count():,} outcomes")
        run("re-import", content)  # the same file again: every row found by its key
        changed = content.decode("cp932").replace("を聞", "をもう一度聞").encode("cp932")
        run("re-import, every 内容 changed", changed)
        print(f"still {Contact.objects.count():,} contacts, {Outcome.objects.count():,} outcomes")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
