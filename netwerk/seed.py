"""Loading the demo network (``seed_data/``) into the database, through the importer.

One CSV file per kind of record (columns in seed_data/README.md), read and written by
netwerk.interchange exactly as ``netwerk import`` would, plus the kinds only the demo has
(netwerk.interchange.seed_kinds). Every row is matched by its key, so loading twice changes
nothing. A broken file stops the load with the file, the line and the reason
(``ImportFailed``, also known here as ``SeedError``) and nothing is written: all or nothing.
Live counts (capacities) and verification dates are set when a record is created and then
left alone, so re-seeding a running demo does not undo what its users did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.i18n import _
from netwerk.interchange.errors import ImportFailed, Problem
from netwerk.interchange.importer import Source, run_import
from netwerk.interchange.report import ImportReport
from netwerk.interchange.rows import Row
from netwerk.interchange.seed_kinds import SEED_ORDER, seed_extension
from netwerk.interchange.tabular import TableError, read_csv
from netwerk.models import Professional, Role, User

SeedError = ImportFailed  # the one error type of every loader
FILES = tuple(f"{kind}.csv" for kind in SEED_ORDER)


def _refuse(problem: Problem, directory: Path) -> ImportFailed:
    return ImportFailed(ImportReport(dry_run=False, problems=[problem]), directory)


def load_seed(session: Session, directory: Path) -> ImportReport:
    """Load (or refresh) the seed in ``directory`` into ``session``; the caller commits.
    Raises ``ImportFailed`` (nothing of the seed is left in the session) on any problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise _refuse(Problem(str(directory), None, None,
                              _("map met seed-bestanden bestaat niet")), directory.parent)
    sources = []
    for name in FILES:
        path = directory / name
        if not path.is_file():
            raise _refuse(Problem(name, None, None, _("bestand ontbreekt")), directory)
        sources.append(Source(name, path.read_bytes()))
    report = run_import(session, sources, extension=seed_extension())
    if not report.ok:
        raise ImportFailed(report, directory)
    return report


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str


def ensure_demo_users(session: Session, directory: Path) -> list[DemoLogin]:
    """Create the demo accounts of ``demo_users.csv`` (one per role) if they are missing."""
    directory = Path(directory)
    name = "demo_users.csv"
    try:
        table = read_csv((directory / name).read_bytes(), name)
    except FileNotFoundError:
        raise _refuse(Problem(name, None, None, _("bestand ontbreekt")), directory) from None
    except TableError as exc:
        raise _refuse(Problem(name, None, None, str(exc)), directory) from None
    report = ImportReport(dry_run=False)
    logins: list[DemoLogin] = []
    for line, data in table.rows:
        row = Row(name, line, data, report.problems)
        role = row.choice("role", Role)
        email, password = row.text("email", True).lower(), row.text("password", True)
        key = row.text("professional_key")
        prof = None
        if key:
            prof = session.scalar(select(Professional).where(Professional.external_id == key))
            if prof is None:
                row.problem("professional_key", _("onbekende sleutel '%(key)s'", key=key))
        if not report.ok:
            raise ImportFailed(report, directory)
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role, professional=prof)
            user.set_password(password)
            session.add(user)
        logins.append(DemoLogin(role, email, password))
    session.flush()
    return logins
