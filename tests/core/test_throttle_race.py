"""Parallel sign-ins cannot outrun the throttle (PostgreSQL, real concurrency).

Each sign-in is counted in the throttle before its password is checked, so however many
arrive at once, from one address or from many, at most LOCKOUT_THRESHOLD - 1 passwords
of one account are checked in a window, and a burst never locks the account.
"""

import pytest
from django.db import connection
from django.test import Client

from openqms.core.models import User
from openqms.testing import make_cast
from tests.core.test_lockout_race import THREADS, _in_parallel

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _sign_in(n, address):
    return Client().post(
        "/accounts/sign-in/",
        {"username": "admin", "password": f"wrong password {n}"},
        REMOTE_ADDR=address,
    )


@pytest.mark.parametrize(
    "address", [lambda n: "198.51.100.7", lambda n: f"10.8.0.{n + 1}"], ids=["one", "many"]
)
def test_twenty_parallel_sign_ins_check_fewer_than_the_threshold_and_lock_nobody(
    flushable_db, settings, checks, address
):
    make_cast()
    settings.LOCKOUT_THRESHOLD = 5
    responses = _in_parallel(lambda n: _sign_in(n, address(n)))
    assert all(not isinstance(r, Exception) for r in responses), responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 4 + [429] * (THREADS - 4)
    assert len(checks) == 4
    admin = User.objects.get(username="admin")
    assert not admin.is_locked() and admin.failed_sign_ins == 4
