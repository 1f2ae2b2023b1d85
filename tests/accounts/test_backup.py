"""Backup → restore into an empty database → every row and file is back (PostgreSQL only)."""

import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.backup import table_counts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backups need PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _psql(sql: str) -> None:
    settings = connection.settings_dict
    subprocess.run(
        [
            "psql",
            "-h",
            settings["HOST"] or "localhost",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ],
        check=True,
        capture_output=True,
    )


def test_backup_restores_every_row_and_file(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    scan = settings.PRIVATE_MEDIA_ROOT / "pledges" / "2025" / "scan.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 demo pledge scan")
    call_command("seed_demo")
    before = table_counts()
    assert before["accounts_user"] >= 6

    call_command("backup", str(tmp_path / "backup"))
    restored_name = f"restore_{uuid.uuid4().hex[:10]}"
    _psql(f'CREATE DATABASE "{restored_name}"')
    try:
        call_command(
            "restore", str(tmp_path / "backup"), database_name=restored_name, media_root=str(tmp_path / "restored")
        )
        assert (tmp_path / "restored" / "pledges" / "2025" / "scan.pdf").read_bytes() == scan.read_bytes()
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def test_restore_reports_a_missing_file(settings, tmp_path):
    from accounts.backup import backup, verify_restore

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    (settings.PRIVATE_MEDIA_ROOT / "a.png").parent.mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / "a.png").write_bytes(b"\x89PNG")
    backup(tmp_path / "backup", media_root=settings.PRIVATE_MEDIA_ROOT)
    (tmp_path / "empty").mkdir()
    problems = verify_restore(
        tmp_path / "backup", database_name=connection.settings_dict["NAME"], media_root=tmp_path / "empty"
    )
    assert problems == ["ファイル a.png が復元されていないか、内容が異なります"]
