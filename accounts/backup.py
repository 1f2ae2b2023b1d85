"""Backup and restore of the database (pg_dump/pg_restore) and the private uploaded files.

A backup is a folder: `database.dump` (pg_dump custom format), `files.tar.gz` (PRIVATE_MEDIA_ROOT)
and `manifest.json` (row count of every table and SHA-256 of every file), so that a restore can be
proven complete by `verify_restore`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from pathlib import Path

import psycopg
from django.apps import apps
from django.db import connections
from django.utils import timezone
from psycopg import sql


class BackupError(RuntimeError):
    pass


def _pg_env(database: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args = ["-h", str(database.get("HOST") or "localhost"), "-p", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        args += ["-U", str(database["USER"])]
    return env, args


def _require_postgresql(alias: str) -> dict:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError("バックアップ・復元は PostgreSQL のデータベースでのみ行えます。")
    return connection.settings_dict


def table_counts(alias: str = "default") -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using(alias).count()
    return counts


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def backup(out_dir: Path, *, media_root: Path, alias: str = "default") -> dict:
    database = _require_postgresql(alias)
    out_dir.mkdir(parents=True, exist_ok=True)
    env, args = _pg_env(database)
    dump = out_dir / "database.dump"
    result = subprocess.run(
        ["pg_dump", *args, "-Fc", "--no-owner", "-f", str(dump), database["NAME"]],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump が失敗しました: {result.stderr.strip()}")
    with tarfile.open(out_dir / "files.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname=".")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": database["NAME"],
        "tables": table_counts(alias),
        "files": file_hashes(media_root),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(backup_dir: Path, *, database_name: str, media_root: Path, alias: str = "default") -> None:
    """Restore into an existing, empty database `database_name` on the same server, and the files."""
    database = _require_postgresql(alias)
    env, args = _pg_env(database)
    result = subprocess.run(
        ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", database_name, str(backup_dir / "database.dump")],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore が失敗しました: {result.stderr.strip()}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup_dir / "files.tar.gz", "r:gz") as archive:
        archive.extractall(media_root, filter="data")


def _restored_counts(database_name: str, tables, alias: str) -> dict[str, int]:
    settings = _require_postgresql(alias)
    with (
        psycopg.connect(
            dbname=database_name,
            host=settings.get("HOST") or "localhost",
            port=settings.get("PORT") or 5432,
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
        ) as restored,
        restored.cursor() as cursor,
    ):
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        return counts


def verify_restore(backup_dir: Path, *, database_name: str, media_root: Path, alias: str = "default") -> list[str]:
    """Differences between the manifest and the restored database and files (empty when complete)."""
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    problems = []
    restored = _restored_counts(database_name, manifest["tables"], alias)
    for table, count in manifest["tables"].items():
        if restored.get(table) != count:
            problems.append(f"表 {table}: バックアップ {count} 行、復元 {restored.get(table)} 行")
    restored_files = file_hashes(media_root)
    for name, digest in manifest["files"].items():
        if restored_files.get(name) != digest:
            problems.append(f"ファイル {name} が復元されていないか、内容が異なります")
    return problems
