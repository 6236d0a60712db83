"""The ``netwerk`` command: init-db, seed, create-user, demo, purge (and ``flask --app netwerk.app …``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from netwerk.app import ConfigurationError, create_app
from netwerk.auth.passwords import WeakPassword, check_password_strength
from netwerk.db import db
from netwerk.models import Professional, Role, User
from netwerk.settings import SEED_DIR

T = TypeVar("T")


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _migrate() -> None:
    from netwerk.migrate import upgrade

    upgrade(_database_url())


def _committed(work: Callable[[], T]) -> T:
    """Run ``work`` and commit what it wrote, or roll it back and raise again."""
    try:
        result = work()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _seed(path: Path):
    from netwerk.seed import load_seed

    return _committed(lambda: load_seed(db.session, path))


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (migrate to the newest version)."""
    _migrate()
    click.echo("Database bijgewerkt tot de nieuwste versie.")


@click.command("seed")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
def seed_command(path: Path | None) -> None:
    """Load the demo network from PATH (default: seed_data/). Running it twice changes nothing."""
    from netwerk.seed import SeedError

    try:
        report = _seed(path or SEED_DIR)
    except SeedError as exc:
        raise click.ClickException(f"Seed niet geladen, er is niets veranderd. {exc}") from None
    made = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created_by_label().items()))
    click.echo(f"Seed geladen: {made or 'niets nieuws (alles stond er al)'}.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEDEWERKER.value,
              show_default=True)
@click.option("--professional", "professional_id", type=int, default=None,
              help="Id of the professional this account belongs to.")
@with_appcontext
def create_user_command(email: str, role: str, professional_id: int | None) -> None:
    """Create an account; the password is read from standard input (prompted on a terminal)."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.ClickException(f"'{email}' is geen e-mailadres.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"Er bestaat al een account voor {email}.")
    professional = None
    if professional_id is not None:
        professional = db.session.get(Professional, professional_id)
        if professional is None:
            raise click.ClickException(f"Professional {professional_id} bestaat niet.")
        if db.session.scalar(select(User).where(User.professional_id == professional_id)):
            raise click.ClickException(f"Professional {professional_id} heeft al een account.")
    if sys.stdin.isatty():
        password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        check_password_strength(password, [email, professional.name if professional else ""])
    except WeakPassword as exc:
        raise click.ClickException(exc.message) from None
    user = User(email=email, role=Role(role), professional=professional)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Account aangemaakt: {email} ({role}).")


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and print the logins only.")
@with_appcontext
def demo_command(port: int, no_serve: bool) -> None:
    """Migrate, seed and serve the demo network on 127.0.0.1, printing one login per role."""
    from netwerk.seed import SeedError, ensure_demo_users

    _migrate()
    try:
        _seed(SEED_DIR)
        logins = ensure_demo_users(db.session, SEED_DIR)
        db.session.commit()
    except SeedError as exc:
        db.session.rollback()
        raise click.ClickException(f"Demo niet gestart. {exc}") from None
    url = f"http://127.0.0.1:{port}/"
    click.echo(f"netwerk draait op {url}")
    click.echo("Demo-logins:")
    for login in logins:
        click.echo(f"  {login.role.value}: {login.email} / {login.password}")
    sys.stdout.flush()
    if no_serve:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxied app
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", port, app, use_reloader=False, use_debugger=False, threaded=True)


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write a backup of the database to TARGET (safe while the app is serving)."""
    from netwerk.backup import BackupError, backup

    try:
        backup(_database_url(), target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Back-up geschreven naar {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in SOURCE."""
    from netwerk.backup import BackupError, restore

    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("Bevestig met --yes: alle huidige gegevens worden vervangen.")
        click.confirm("Alle huidige gegevens worden vervangen door de back-up. Doorgaan?",
                      abort=True)
    try:
        restore(_database_url(), source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    # The backup holds sessions and tokens that were ended since: end every one of them.
    from netwerk.trust import after_restore

    db.session.remove()
    db.engine.dispose()
    sessions, tokens = after_restore(db.session)
    db.session.commit()
    click.echo(f"Back-up {source} teruggezet. Iedereen is afgemeld ({sessions} sessies "
               f"beëindigd) en alle API-tokens en app-wachtwoorden zijn ingetrokken ({tokens}).")


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete cases closed longer ago than CASE_RETENTION_DAYS; keep only an anonymous count."""
    from netwerk.matching.operations import purge_closed_cases

    days = current_app.config["CASE_RETENTION_DAYS"]
    counts = _committed(lambda: purge_closed_cases(db.session, days))
    total = sum(counts.values())
    word = "gesloten casus" if total == 1 else "gesloten casussen"
    click.echo(f"{total} {word} verwijderd (gesloten langer dan {days} dagen geleden).")
    for key, n in sorted(counts.items()):
        click.echo(f"  {key}: {n}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only check the files and report; change nothing.")
@with_appcontext
def import_command(path: Path, dry_run: bool) -> None:
    """Import a network from PATH: a CSV/JSON file or a folder of files named by kind."""
    from netwerk.interchange.importer import run_import, sources_from_path

    sources = sources_from_path(path)
    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        bar = click.progressbar(length=max(total, 1), label="Importeren", file=sys.stderr)
        bar.__enter__()

    try:
        report = run_import(db.session, sources, dry_run=dry_run,
                            progress=lambda n: bar.update(n) if bar else None,
                            on_total=on_total)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for warning in report.warnings:
        click.echo(f"Let op: {warning}")
    if not report.ok:
        db.session.rollback()
        for problem in report.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(report.problems)} probleem/problemen gevonden; er is niets veranderd."
        )
    for line in report.summary():
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo("Proefimport: geen problemen gevonden; er is niets veranderd.")
        return
    db.session.commit()
    click.echo("Import voltooid.")


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["hsds"]), default="hsds", show_default=True)
@click.option("--with-personal-contacts", "personal", is_flag=True,
              help="Also named professionals with their numbers (never publish such a file).")
@with_appcontext
def export_command(path: Path, fmt: str, personal: bool) -> None:
    """Export the network to PATH (Open Referral HSDS 3 JSON; public data only by default)."""
    import json

    from netwerk.interchange.hsds import export_hsds

    data = export_hsds(db.session, personal_contacts=personal)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"{len(data['organizations'])} organisaties en {len(data['services'])} diensten "
               f"geschreven naar {path} (HSDS 3).")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown on /api-token).")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="Lifetime in days (default API_TOKEN_LIFETIME_DAYS, 90).")
@with_appcontext
def create_token_command(email: str, name: str, days: int | None) -> None:
    """Create a named API token for EMAIL with a lifetime and print it once."""
    from netwerk.api.tokens import create_token

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"Er is geen account voor {email}.")
    if not user.active:
        raise click.ClickException(f"Het account {email} is niet actief.")
    token = create_token(db.session, user, name,
                         days or current_app.config["API_TOKEN_LIFETIME_DAYS"])
    db.session.commit()
    click.echo(token)


@click.command("create-app-password")
@click.argument("email")
@click.option("--name", default="", help="The device it is for (shown on /account/apparaten).")
@with_appcontext
def create_app_password_command(email: str, name: str) -> None:
    """Create an app password for EMAIL's address books (CardDAV) and print it once."""
    from netwerk.carddav.passwords import create_app_password

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"Er is geen account voor {email}.")
    if not user.active:
        raise click.ClickException(f"Het account {email} is niet actief.")
    _row, password = create_app_password(db.session, user, name)
    db.session.commit()
    click.echo(password)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Work what is queued, then stop (no timed jobs).")
@click.option("--simple", is_flag=True, help="Run jobs in this process (no fork per job).")
@with_appcontext
def worker_command(burst: bool, simple: bool) -> None:
    """Work the job queue on Redis (NETWERK_REDIS_URL): mail, hold expiry, reminders, digests,
    long imports; enqueues the timed tick every NETWERK_JOB_TICK_SECONDS."""
    from netwerk import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxied app
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "Geen NETWERK_REDIS_URL: zonder Redis doet de app zelf de taken; een worker is "
            "dan niet nodig.")
    click.echo(f"netwerk worker op {jobs.QUEUE_NAME} ({'burst' if burst else 'doorlopend'})")
    sys.stdout.flush()
    jobs.work(app, burst=burst, simple=simple)


COMMANDS = (
    init_db_command,
    seed_command,
    create_user_command,
    demo_command,
    backup_command,
    restore_command,
    purge_command,
    import_command,
    export_command,
    create_token_command,
    create_app_password_command,
    worker_command,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


cli = FlaskGroup(create_app=create_app, add_default_commands=False, add_version_option=False,
                 help="netwerk: het netwerk rond het sociaal wijkteam.")


def main() -> None:
    """Entry point of the ``netwerk`` console script: clear sentences instead of tracebacks."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ConfigurationError as exc:
        click.echo(f"Fout in de configuratie: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        click.echo(f"De database is niet bereikbaar: {reason}", err=True)
        sys.exit(2)
