"""Benchmark: import 10,000 activity rows (two supporters each) into a throwaway database.

Not collected by pytest (no test_ prefix). Run from the checkout:

    DJANGO_SECRET_KEY=x .venv/bin/python tests/benchmarks/import_activities.py [ROWS]

SQLite by default (a temporary file); with DATABASE_URL=postgres://… a `bench_…` database is
created next to the named one and dropped afterwards. Prints the time to read the file and to
import it (the real, atomic import the confirm screen runs), the CPU time of this process (the
wall time on a busy shared machine is mostly waiting) and the queries per 1,000 rows and per batch.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")


def throwaway_database() -> tuple[str, callable]:
    """Point DATABASE_URL at an empty database; return a description and a clean-up function."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"bench_import_{os.getpid()}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return f"PostgreSQL {name}", drop
    handle, path = tempfile.mkstemp(prefix="bench_import_", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return f"SQLite {path}", lambda: Path(path).unlink(missing_ok=True)


def migrate_fresh(where: str) -> None:
    """django.setup() and the migrations of the throwaway database, with the time they took."""
    import django

    django.setup()
    from django.core.management import call_command

    print(f"database: {where}")
    started = clock.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {clock.perf_counter() - started:.1f} s")


@dataclass
class TimedImport:
    outcome: object  # accounts.imports.ImportOutcome
    rows: int
    read_seconds: float
    seconds: float
    cpu_seconds: float
    queries: int
    batch_size: int


def timed_import(kind_key: str, filename: str, content: bytes, *, organisation, user) -> TimedImport:
    """The real, atomic import of the confirm screen, timed (wall and this process's CPU) and its
    queries counted; stops the benchmark with the file's errors if it has any."""
    from django.db import connection

    from accounts.import_registry import import_kinds
    from accounts.imports import read_upload, run_import

    started = clock.perf_counter()
    dataset = read_upload(filename, content)
    read_seconds = clock.perf_counter() - started
    kind = import_kinds()[kind_key]
    resource = kind.resource_class(organisation=organisation, user=user)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started, cpu_started = clock.perf_counter(), clock.process_time()
    with connection.execute_wrapper(count):
        outcome = run_import(resource, dataset, dry_run=False, required=kind.required_columns)
    seconds, cpu_seconds = clock.perf_counter() - started, clock.process_time() - cpu_started
    if not outcome.ok:
        print("\n".join(outcome.errors[:10]))
        raise SystemExit(1)
    batch_size = resource._meta.batch_size or len(dataset)
    return TimedImport(outcome, len(dataset), read_seconds, seconds, cpu_seconds, queries, batch_size)


def seed():
    from accounts.models import Role
    from peers.models import Pledge
    from tests.factories import OrganisationFactory, make_user
    from tests.peers.factories import ContractFactory, CoordinatorFactory, SupporterFactory

    organisation = OrganisationFactory(code="bench", name="社会福祉法人ベンチ会")
    user = make_user(Role.COORDINATOR, organisation, username="bench-coordinator")
    ContractFactory(organisation=organisation)  # 令和8年度, 朝霞保健所
    coordinator = CoordinatorFactory(organisation=organisation, name="調整 花子")
    supporters = []
    for n in range(20):
        supporter = SupporterFactory(organisation=organisation, name=f"仲間 {n:02d}", name_kana=f"ナカマ {n:02d}")
        Pledge.objects.create(organisation=organisation, supporter=supporter, signed_on=date(2025, 4, 1))
        supporters.append(supporter)
    return organisation, user, coordinator, supporters


def activity_csv(rows: int, coordinator, supporters) -> bytes:
    from tests.peers.factories import asaka_hospital

    hospital = asaka_hospital().name
    header = ["活動日", "開始時刻", "終了時刻", "種別", "区域（保健所）", "病院", "参加者数", "コーディネーター"]
    header += ["ピアサポーター1", "時間1", "謝金1", "ピアサポーター2", "時間2", "謝金2"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    first = date(2026, 4, 1)
    for i in range(rows):
        day = first + timedelta(days=i % 360)
        start = datetime(2000, 1, 1, 8, 0) + timedelta(minutes=15 * (i // 360))
        visit = i % 3 == 2
        writer.writerow(
            [
                f"R8.{day.month}.{day.day}" if day.year == 2026 else f"{day:%Y/%m/%d}",
                f"{start:%H:%M}",
                f"{start + timedelta(minutes=30):%H:%M}",
                "個別訪問" if visit else "院内グループワーク",
                "朝霞保健所",
                "" if visit else hospital,
                "5",
                coordinator.name,
                supporters[i % len(supporters)].name,
                "1.5",
                "1650",
                supporters[(i + 1) % len(supporters)].name,
                "1",
                "",  # pay from the hourly pay told to the supporter, or an error when none: use 1100
            ]
        )
    return buffer.getvalue().replace(",1,\r\n", ",1,1100\r\n").encode("cp932")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    where, clean_up = throwaway_database()
    try:
        migrate_fresh(where)
        from accounts.imports import MAX_ROWS
        from peers.models import Activity, ActivitySupporter

        organisation, user, coordinator, supporters = seed()
        content = activity_csv(min(rows, MAX_ROWS), coordinator, supporters)
        first = timed_import("activities", "活動記録.csv", content, organisation=organisation, user=user)
        print(f"rows: {first.rows:,} (cp932 CSV, {len(content) / 1024:.0f} KiB), read in {first.read_seconds:.2f} s")
        print(
            f"import: {first.seconds:.1f} s, {first.rows / first.seconds:,.0f} rows/s"
            f" (this process's CPU: {first.cpu_seconds:.1f} s)"
        )
        print(
            f"queries: {first.queries:,} ({first.queries * 1000 / first.rows:,.0f} per 1,000 rows;"
            f" batches of {first.batch_size:,} rows: {-(-first.rows // first.batch_size)})"
        )
        print(f"written: {Activity.objects.count():,} activities, {ActivitySupporter.objects.count():,} supporter rows")
        print("target < 10 s:", "OK" if first.seconds < 10 else "SLOW")

        # the same file again: every row found by its key, nothing to change
        again = timed_import("activities", "活動記録.csv", content, organisation=organisation, user=user)
        print(
            f"re-import: {again.seconds:.1f} s (CPU {again.cpu_seconds:.1f} s), {again.queries:,} queries;"
            f" new {again.outcome.new}, updated {again.outcome.update}, unchanged {again.outcome.unchanged:,};"
            f" still {Activity.objects.count():,} activities"
        )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
