"""Backups: SQLite's online backup API, and pg_dump / pg_restore for PostgreSQL.

Both work while the app is serving: SQLite's backup copies a consistent snapshot page by page
(and a restore replaces the live database under its lock); pg_dump reads one transaction
snapshot, pg_restore --clean replaces the schema's contents.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why in one sentence."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("Een database in het geheugen kan niet worden geback-upt.")
    return Path(database)


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _copy_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup(url: str, target: Path) -> Path:
    """Write a backup of the database at ``url`` to ``target``."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} bestaat al; kies een nieuwe bestandsnaam.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only (0600), from the first byte: the file holds every case.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(target, 0o600)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        try:
            _copy_sqlite(_sqlite_path(url), target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    if shutil.which("pg_dump") is None:
        target.unlink(missing_ok=True)
        raise BackupError("pg_dump is niet geïnstalleerd (Debian: apt-get install postgresql-client).")
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump mislukte: {result.stderr.strip().splitlines()[-1]}")
    return target


def _is_netwerk_sqlite(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return {"alembic_version", "professionals", "organisations"} <= tables


def restore(url: str, source: Path) -> None:
    """Replace the contents of the database at ``url`` with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} bestaat niet.")
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        if not _is_netwerk_sqlite(source):
            raise BackupError(f"{source} is geen back-up van netwerk; er is niets veranderd.")
        _copy_sqlite(source, _sqlite_path(url))
        return
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is niet geïnstalleerd (Debian: apt-get install postgresql-client).")
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         f"--dbname={_libpq_url(url)}", str(source)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore mislukte; er is niets veranderd: "
                          f"{result.stderr.strip().splitlines()[-1]}")
