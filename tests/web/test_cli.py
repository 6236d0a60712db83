"""The netwerk command: init-db, seed, create-user, demo; clear errors instead of tracebacks."""

import os
import subprocess
import sys

from sqlalchemy import func, select

from netwerk.models import Professional, Role, User
from tests.conftest import ROOT


def test_init_db_is_safe_to_repeat(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "bijgewerkt" in result.output


def test_seed_command_loads_then_reports_nothing_new(runner, session):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "professionals" in first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert "niets nieuws" in second.output


def test_seed_command_on_a_broken_file_says_where(runner, tmp_path, session):
    import shutil

    broken = tmp_path / "seed"
    shutil.copytree(ROOT / "seed_data", broken)
    path = broken / "organisations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",wonen,", ",woonwagen,", 1),
                    encoding="utf-8")
    result = runner.invoke(args=["seed", str(broken)])
    assert result.exit_code != 0
    assert "organisations.csv, regel" in result.output and "woonwagen" in result.output
    assert "niets veranderd" in result.output
    assert session.scalar(select(func.count()).select_from(Professional)) == 0


def test_create_user_reads_password_from_stdin(runner, session, make):
    prof = make.professional()
    session.commit()
    result = runner.invoke(
        args=["create-user", "Nieuw@Netwerk.example", "--role", "coordinator",
              "--professional", str(prof.id)],
        input="een lang wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "nieuw@netwerk.example"))
    assert user.role == Role.COORDINATOR and user.professional_id == prof.id
    assert user.check_password("een lang wachtwoord")


def test_create_user_refuses_duplicates_and_short_passwords(runner, users):
    dup = runner.invoke(args=["create-user", users["medewerker"].email], input="x" * 12 + "\n")
    assert dup.exit_code != 0 and "bestaat al" in dup.output
    short = runner.invoke(args=["create-user", "kort@netwerk.example"], input="kort\n")
    assert short.exit_code != 0 and "minstens 10" in short.output


def test_demo_prints_one_login_per_role(runner, database_url):
    result = runner.invoke(args=["demo", "--no-serve", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5099/" in result.output
    for role in Role:
        line = next(line for line in result.output.splitlines()
                    if line.strip().startswith(f"{role.value}:"))
        email, password = line.split(":", 1)[1].strip().split(" / ")
        assert "@" in email and password


def test_demo_logins_work(runner, client):
    output = runner.invoke(args=["demo", "--no-serve"]).output
    line = next(line for line in output.splitlines() if line.strip().startswith("coordinator:"))
    email, password = line.split(":", 1)[1].strip().split(" / ")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def _netwerk(*args, url):
    env = {**os.environ, "NETWERK_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "netwerk", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_wrong_database_url_gives_one_clear_sentence():
    bad = _netwerk("init-db", url="not-a-url")
    assert bad.returncode == 2
    assert "geen geldige database-URL" in bad.stderr and "Traceback" not in bad.stderr
    down = _netwerk("init-db", url="postgresql://nobody@127.0.0.1:1/none")
    assert down.returncode == 2
    assert "niet bereikbaar" in down.stderr and "Traceback" not in down.stderr
