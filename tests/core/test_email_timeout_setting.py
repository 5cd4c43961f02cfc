"""OPENQMS_EMAIL_TIMEOUT bounds every exchange with the mail server (default 30 s), so a
hung server cannot hold `openqms tick`; a value that is not 1-120 seconds fails loudly."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection

from openqms.core import mail as queue
from openqms.settings import env_seconds


def _email_timeout_with(value: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENQMS_EMAIL_TIMEOUT": value, "OPENQMS_DATA_DIR": str(tmp_path)}
    code = "import openqms.settings as s; print(s.EMAIL_TIMEOUT)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_the_timeout_is_read_from_the_environment(tmp_path):
    assert _email_timeout_with("45", tmp_path).stdout == "45\n"
    assert _email_timeout_with("", tmp_path).stdout == "30\n"


def test_a_bad_timeout_stops_the_settings_from_loading(tmp_path):
    run = _email_timeout_with("0", tmp_path)
    assert run.returncode != 0
    assert "OPENQMS_EMAIL_TIMEOUT must be at least 1, not 0" in run.stderr


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("thirty", "OPENQMS_EMAIL_TIMEOUT must be a whole number, not 'thirty'"),
        ("-5", "OPENQMS_EMAIL_TIMEOUT must be at least 1, not -5"),
        ("121", "OPENQMS_EMAIL_TIMEOUT must be at most 120 seconds, not 121"),
    ],
)
def test_a_timeout_that_is_not_1_to_120_seconds_is_refused(monkeypatch, value, error):
    monkeypatch.setenv("OPENQMS_EMAIL_TIMEOUT", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_seconds("OPENQMS_EMAIL_TIMEOUT", 30, minimum=1, maximum=120)
    assert str(refused.value) == error


def test_the_smtp_connection_uses_the_timeout(settings):
    settings.EMAIL_TIMEOUT = 17
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == 17


def test_a_claim_outlives_the_longest_batch_with_the_longest_timeout():
    # A batch starts messages for SEND_BUDGET; the last one then takes at most a dozen
    # SMTP commands plus one per recipient (five here), each up to the 120 s maximum.
    longest_batch = queue.SEND_BUDGET + 17 * dt.timedelta(seconds=120)
    assert longest_batch < queue.CLAIM_EXPIRY
