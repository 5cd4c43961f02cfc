"""Shared fixtures: the cast, signed-in clients, and databases that can be emptied."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from openqms.core.triggers import drop_triggers, install_triggers
from openqms.testing import make_cast


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> a test client with that user's session."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def flushable_db(transactional_db):
    """A database whose writes really commit (threads, a live server).

    Django empties every table after such a test, and the audit table refuses DELETE and
    TRUNCATE by design; so the triggers are dropped for that flush and put back after it
    (see pytest_runtest_teardown below).
    """
    yield
    drop_triggers(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # nextitem None: the session is over and the test database already destroyed.
    if nextitem is not None and "flushable_db" in getattr(item, "fixturenames", ()):
        with item.config.stash[blocking_manager_key].unblock():
            install_triggers(connection)
    return result
