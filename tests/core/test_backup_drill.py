"""The restore drill (Annex 11 §7.2: the restore is tested): a real `openqms serve` takes
writes (documents through the API, a file through the upload form), `openqms backup`
copies it while it runs, more writes follow, the server is killed (-9), and the backup
goes into a fresh instance. Everything acknowledged before the backup is there, nothing
after it is, `openqms verify` passes and the chain ends at the backup's checkpoint.
On SQLite always; on PostgreSQL when OPENQMS_DATABASE_URL reaches one (each instance
gets a scratch database of its own)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import psycopg
import pytest

pytestmark = pytest.mark.verifies("CORE-024")

OPENQMS = [sys.executable, "-m", "openqms"]
EVIDENCE = b"Evidence attached before the backup.\n"
PASSWORD = "drill-" + secrets.token_urlsafe(16)
SERVER_ENV = {
    "OPENQMS_SECRET_KEY": "backup-drill-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "OPENQMS_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "OPENQMS_SSL_REDIRECT": "false",
    "OPENQMS_LOG_LEVEL": "WARNING",
}


def openqms(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        [*OPENQMS, *args],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **SERVER_ENV, **env},
        input=stdin,
        timeout=300,
    )
    assert done.returncode == 0, f"openqms {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`openqms serve` in its own process group, up once gunicorn says it listens."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.cookies: dict[str, str] = {}
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [*OPENQMS, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **SERVER_ENV, **env},
            stdout=self.log,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.process.stderr is not None
        for line in self.process.stderr:  # blocks until gunicorn has bound the port
            if "Listening at" in line:
                return
        raise AssertionError(f"openqms serve exited with {self.process.wait()}")

    def request(self, method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookies = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body, {"Host": "localhost", "Cookie": cookies, **headers})
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def post(self, path: str, body: dict, token: str) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, data = self.request("POST", path, json.dumps(body).encode(), headers)
        return status, json.loads(data or b"{}")

    def sign_in(self, username: str, password: str) -> None:
        page = self.request("GET", "/accounts/sign-in/", b"", {})[1]
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:300]
        fields = {"csrfmiddlewaretoken": match[1].decode(), "username": username}
        body = urlencode({**fields, "password": password}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = self.request("POST", "/accounts/sign-in/", body, form)
        assert status == 302 and "sessionid" in self.cookies, status

    def upload(self, path: str, name: str, content: bytes) -> None:
        """A browser's file upload (multipart form), with the session's CSRF token."""
        boundary = secrets.token_hex(16)
        csrf = self.cookies["csrftoken"]
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        status, _ = self.request("POST", path, body, headers)
        assert status == 302, status

    def kill(self) -> None:
        """No shutdown, no flush: what a power cut does to the process."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()


def write_documents(server: Server, token: str, titles: list[str]) -> list[str]:
    """Create one document per title; the numbers the server acknowledged (201)."""
    numbers = []
    for title in titles:
        status, data = server.post(
            "/api/v1/documents", {"type": "procedure", "title": title, "body": "# Drill"}, token
        )
        assert status == 201, data
        numbers.append(data["number"])
    return numbers


class Instance:
    """One OpenQMS instance: a data directory and, on PostgreSQL, a database."""

    def __init__(self, data: Path, database_url: str = "") -> None:
        self.env = {"OPENQMS_DATA_DIR": str(data)}
        if database_url:
            self.env["OPENQMS_DATABASE_URL"] = database_url
        self.database_url = database_url
        self.data = data

    def query(self, sql: str) -> list[tuple]:
        if self.database_url:
            with psycopg.connect(self.database_url) as db:
                return db.execute(sql).fetchall()  # type: ignore[arg-type]
        with sqlite3.connect(self.data / "openqms.sqlite3") as db:
            return db.execute(sql).fetchall()


def drill(source: Instance, fresh: Instance, tmp_path: Path) -> None:
    # One audit key, kept apart from both instances and from the backup, as the guide says.
    key = {"OPENQMS_AUDIT_KEY": str(tmp_path / "keys" / "audit-ed25519.pem")}
    source.env.update(key)
    fresh.env.update(key)
    openqms(["keys", "init"], source.env)
    openqms(["migrate"], source.env)
    openqms(
        ["createuser", "drill", "--full-name", "Drill", "--role", "author", "--password-stdin"],
        source.env,
        stdin=PASSWORD + "\n",
    )
    token = openqms(["token", "create", "drill", "--name", "backup drill"], source.env).strip()
    server = Server(source.env, tmp_path / "serve.log")
    try:
        before = write_documents(server, token, ["Before the backup 1", "Before the backup 2"])
        server.sign_in("drill", PASSWORD)
        server.upload(f"/documents/{before[0]}/A/files/", "evidence.txt", EVIDENCE)
        backup_dir = tmp_path / "backup"
        openqms(["backup", str(backup_dir)], source.env)
        after = write_documents(server, token, ["After the backup"])
    finally:
        server.kill()
    manifest = json.loads((backup_dir / "manifest.json").read_text())

    openqms(["migrate"], fresh.env)
    restored = openqms(["restore", str(backup_dir)], fresh.env)

    assert "Integrity checks passed." in restored
    assert manifest["checkpoint"]["seq"] == manifest["head"]["seq"]
    numbers = {row[0] for row in fresh.query("SELECT number FROM documents_document")}
    assert set(before) <= numbers
    assert not set(after) & numbers
    events = fresh.query("SELECT seq, hash, action FROM core_auditevent ORDER BY seq")
    *kept, (_, _, last_action) = events
    assert last_action == "core.backup.restored"
    assert kept[-1][:2] == (manifest["checkpoint"]["seq"], manifest["checkpoint"]["head_hash"])
    assert "integrity: all checks hold" in openqms(["verify"], fresh.env)
    sha = hashlib.sha256(EVIDENCE).hexdigest()
    assert fresh.query("SELECT sha256 FROM core_storedfile") == [(sha,)]
    assert (fresh.data / "files" / "sha256" / sha[:2] / sha).read_bytes() == EVIDENCE


def test_a_backup_of_a_running_sqlite_instance_restores_what_was_acknowledged(tmp_path):
    drill(Instance(tmp_path / "source"), Instance(tmp_path / "fresh"), tmp_path)


def _scratch_databases(url: str, names: list[str]) -> Iterator[list[str]]:
    parsed = urlparse(url)
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL drill skipped: PostgreSQL is unreachable ({exc})")
    with admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
            admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")  # type: ignore[arg-type]
    yield [parsed._replace(path=f"/{name}").geturl() for name in names]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@pytest.fixture
def scratch_postgres() -> Iterator[list[str]]:
    url = os.environ.get("OPENQMS_DATABASE_URL", "")
    if not url:
        pytest.skip("PostgreSQL drill skipped: set OPENQMS_DATABASE_URL to run it")
    base = urlparse(url).path.lstrip("/")
    yield from _scratch_databases(url, [f"{base}_drill_source", f"{base}_drill_fresh"])


def test_a_backup_of_a_running_postgresql_instance_restores_what_was_acknowledged(
    tmp_path, scratch_postgres
):
    source_url, fresh_url = scratch_postgres
    drill(
        Instance(tmp_path / "source", source_url),
        Instance(tmp_path / "fresh", fresh_url),
        tmp_path,
    )
