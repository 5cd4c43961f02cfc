import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from openqms.core import audit, chain
from openqms.core.models import ApiToken, AuditEvent, User
from openqms.core.triggers import drop_triggers
from openqms.testing import PASSWORD, last_event


def _run(*args, stdin=""):
    out = io.StringIO()
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = sys_stdin
    return out.getvalue()


def test_audit_verify_reports_an_intact_chain(cast):
    out = _run("audit", "verify")
    assert out.startswith("audit chain intact: ")
    report = json.loads(_run("audit", "verify", "--json"))
    assert report["ok"] is True and report["checked"] == report["last_seq"]


def test_audit_verify_exits_1_and_names_the_broken_event(cast):
    drop_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'edited' WHERE seq = 3")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().splitlines()[0] == (
        "audit chain BROKEN at event #3: its content was altered after it was written"
    )


def test_audit_export_csv_and_json(cast, tmp_path):
    csv_text = _run("audit", "export", "--format", "csv", "--action", "core.user.created")
    assert csv_text.splitlines()[0].startswith("seq,at,actor_id")
    assert len(csv_text.splitlines()) == 1 + 9
    target = tmp_path / "trail.json"
    _run("audit", "export", "--format", "json", "--output", str(target))
    records = json.loads(target.read_text())
    assert len(records) == chain.verify_chain().checked


def test_audit_export_to_an_unwritable_place_is_a_clear_error(cast):
    with pytest.raises(CommandError, match="Cannot write"):
        _run("audit", "export", "--output", "/nonexistent-dir/x.csv")


def test_createuser_from_standard_input_is_audited(db):
    out = _run(
        "createuser",
        "first-admin",
        "--full-name",
        "First Admin",
        "--role",
        "administrator",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert out.strip() == "Created First Admin (first-admin)."
    user = User.objects.get(username="first-admin")
    assert user.check_password(PASSWORD)
    created = audit_event_for(user, "core.user.created")
    assert created.actor_id is None
    assert created.user_agent.startswith("openqms createuser (OS user ")


def audit_event_for(user, action):
    return AuditEvent.objects.get(object_type="core.user", object_id=str(user.pk), action=action)


def test_createuser_with_an_unknown_role_writes_nothing(db):
    with pytest.raises(CommandError, match="no role 'wizard'"):
        _run(
            "createuser",
            "x-user",
            "--full-name",
            "X",
            "--role",
            "wizard",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    assert not User.objects.filter(username="x-user").exists()


def test_createuser_with_a_weak_password_is_a_clear_error(db):
    with pytest.raises(CommandError, match="too short"):
        _run("createuser", "x-user", "--full-name", "X", "--password-stdin", stdin="abc\n")


def test_token_create_prints_it_once_and_list_and_revoke_work(cast):
    token = _run("token", "create", "author", "--name", "CI").strip()
    assert token.startswith("oqms_")
    row = ApiToken.objects.get(user=cast.author)
    assert last_event().action == "core.token.created"
    assert f"{row.pk}\t{row.prefix}…\tCI\tactive" in _run("token", "list", "author")
    _run("token", "revoke", str(row.pk), "--reason", "rotated")
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_token_for_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no user 'ghost'"):
        _run("token", "create", "ghost")


def test_serve_refuses_without_a_secret_key(settings):
    settings.SECRET_KEY_PROVIDED = False
    with pytest.raises(CommandError, match="OPENQMS_SECRET_KEY"):
        call_command("serve")


def test_serve_refuses_a_demo_instance(settings):
    settings.DEMO = True
    with pytest.raises(CommandError, match="OPENQMS_DEMO"):
        call_command("serve")


def test_serve_refuses_debug_mode(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="debug"):
        call_command("serve")


def _openqms(args, env, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "openqms", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        # A guard against a hung command, not a speed target: the demo tells every
        # module's story (signed steps re-authenticate, deliberately slowly) and CI's two
        # cores may be busy.
        timeout=600,
    )


def test_demo_sets_up_and_prints_the_logins(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "OPENQMS_DATA_DIR": str(tmp_path / "demo")}
    result = _openqms(["demo", "--no-serve"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "admin      Ada Adeyemi" in result.stdout
    assert "password: openqms-demo-2026" in result.stdout
    assert (tmp_path / "demo" / "secret_key").exists()
    again = _openqms(["demo", "--no-serve"], env, tmp_path)
    assert again.returncode == 0 and "Ada Adeyemi" in again.stdout
    verify = _openqms(["audit", "verify"], {**env, "OPENQMS_SECRET_KEY": "k" * 50}, tmp_path)
    assert verify.returncode == 0 and verify.stdout.startswith("audit chain intact: ")


def test_deploy_check_passes_with_secret_hosts_base_url_audit_key_and_log_apart(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "OPENQMS_DATA_DIR": str(tmp_path / "d"),
        "OPENQMS_SECRET_KEY": "x" * 20 + "-a-long-and-random-secret-value-for-check-9f8e7d",
        "OPENQMS_ALLOWED_HOSTS": "qms.example.com",
        "OPENQMS_BASE_URL": "https://qms.example.com",
        "OPENQMS_CHECKPOINT_LOG": str(tmp_path / "elsewhere" / "checkpoints.log"),
    }
    assert _openqms(["migrate"], env, tmp_path).returncode == 0  # the checks read the database
    assert _openqms(["keys", "init"], env, tmp_path).returncode == 0
    result = _openqms(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_a_secret_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "OPENQMS_DATA_DIR": str(tmp_path / "d"),
        "OPENQMS_ALLOWED_HOSTS": "qms.example.com",
    }
    result = _openqms(["check", "--deploy"], env, tmp_path)
    assert result.returncode != 0
    assert "openqms.E001" in result.stderr + result.stdout


def test_audit_record_is_atomic_with_the_change(cast):
    """A change that fails after writing its event leaves neither behind."""
    before = chain.verify_chain().checked
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=cast.admin, action="core.user.updated", obj=cast.author)
        1 / 0
    assert chain.verify_chain().checked == before
