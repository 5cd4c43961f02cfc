"""`openqms demo` seeds accounts whose password is published: it refuses a database that
production settings point at or that holds records without the demo mark, and a demo
instance says what it is on every page (and `serve` refuses it)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from openqms.core.actions.instance import mark_demo_instance
from openqms.core.instance import is_demo_database, refuse_unless_demo_database
from openqms.core.models import AuditEvent, User
from openqms.testing import last_event

BANNER = "Demo instance — not for real quality records"


@pytest.fixture
def plain_environment(monkeypatch):
    """The test settings export a secret key; a demo run has none."""
    monkeypatch.delenv("OPENQMS_SECRET_KEY", raising=False)
    monkeypatch.delenv("OPENQMS_DATABASE_URL", raising=False)


def demo():
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_demo_refuses_when_a_production_database_url_is_set(db, plain_environment, monkeypatch):
    monkeypatch.setenv("OPENQMS_DATABASE_URL", "postgresql://openqms@db.example.com/openqms")
    with pytest.raises(CommandError, match="OPENQMS_DATABASE_URL is set, as on a production"):
        demo()
    assert (User.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_demo_refuses_when_a_production_secret_key_is_set(db, plain_environment, monkeypatch):
    monkeypatch.setenv("OPENQMS_SECRET_KEY", "a-real-production-secret-key")
    with pytest.raises(CommandError, match="OPENQMS_SECRET_KEY is set"):
        demo()
    assert (User.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_demo_refuses_a_database_holding_records_that_is_not_a_demo(cast, plain_environment):
    counts = (User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as refusal:
        demo()
    assert str(refusal.value).startswith(
        f"Refusing to make a demo instance in a database that holds records (users: 9, "
        f"audit events: {counts[1]}) and is not a demo instance."
    )
    assert (User.objects.count(), AuditEvent.objects.count()) == counts


def test_an_explicit_opt_in_allows_a_database_url_set_aside_for_the_demo(db, monkeypatch):
    monkeypatch.setenv("OPENQMS_DATABASE_URL", "postgresql://demo@127.0.0.1/demo")
    refuse_unless_demo_database(demo_database=True)  # an empty database: allowed


def test_the_opt_in_does_not_allow_a_database_holding_records(cast, monkeypatch):
    monkeypatch.setenv("OPENQMS_DATABASE_URL", "postgresql://openqms@db.example.com/openqms")
    with pytest.raises(Exception, match="holds records"):
        refuse_unless_demo_database(demo_database=True)


def test_a_marked_demo_instance_may_be_seeded_again(cast, plain_environment):
    mark_demo_instance()
    event = last_event()
    assert (event.action, event.actor_id, event.object_type) == (
        "core.demo.created",
        None,
        "core.database",
    )
    assert event.reason == "Demo instance: published passwords, not for real quality records"
    assert is_demo_database()
    refuse_unless_demo_database(demo_database=False)  # no refusal


def test_serve_refuses_a_demo_database(db):
    mark_demo_instance()
    with pytest.raises(CommandError, match="This database is a demo instance"):
        call_command("serve", "--check", stdout=io.StringIO())


def test_every_page_of_a_demo_instance_shows_the_banner(client, cast, signed_in, settings):
    assert BANNER not in client.get("/accounts/sign-in/").text
    settings.DEMO = True
    assert BANNER in client.get("/accounts/sign-in/").text
    assert BANNER in signed_in(cast.trainee).get("/").text


def openqms(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "openqms", *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        cwd=cwd,
        timeout=300,
    )


def test_the_demo_command_refuses_an_instance_made_by_the_admin_guide(tmp_path):
    env = {"OPENQMS_DATA_DIR": str(tmp_path / "data")}
    assert openqms(["migrate"], env, tmp_path).returncode == 0
    createuser = ["createuser", "ada", "--full-name", "Ada A", "--password-stdin"]
    made = subprocess.run(
        [sys.executable, "-m", "openqms", *createuser],
        input="a-long-enough-password-for-ada\n",
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    refused = openqms(["demo", "--no-serve"], env, tmp_path)
    assert refused.returncode == 1
    assert "holds records (users: 1, audit events: 1) and is not a demo instance" in refused.stderr
    assert "password" not in refused.stdout
