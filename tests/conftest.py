"""Shared fixtures: the cast, signed-in clients, and databases that can be emptied."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from pytest_django.plugin import blocking_manager_key

from openqms.core.triggers import drop_triggers, install_triggers
from openqms.testing import make_cast


@pytest.fixture(autouse=True)
def _own_checkpoint_log(settings, tmp_path_factory):
    """Each test starts with an empty checkpoint log, as with an empty database: lines
    another test signed would name rows this test's database never had."""
    folder = tmp_path_factory.getbasetemp() / "checkpoint-logs"
    settings.CHECKPOINT_LOG = folder / f"{uuid.uuid4().hex}.log"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The sign-in throttle counts in the cache; each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Tests start from every training rule off, as they were written: a fresh install
    gates procedures and work instructions (training 0003; its own test checks that),
    and a test that wants a gate or an effectiveness check turns it on itself."""
    from django.db import connections

    from openqms.training.models import TrainingRule

    with django_db_blocker.unblock():
        TrainingRule.objects.update(gate=False, effectiveness_check=False)
        # Tests that empty the database restore this copy (django_db_serialized_rollback).
        for db in connections.all():
            if hasattr(db, "_test_serialized_contents"):
                db._test_serialized_contents = db.creation.serialize_db_to_string()


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


_triggers_dropped = threading.Event()


@pytest.fixture
def flushable_db(django_db_serialized_rollback, transactional_db):
    """A database whose writes really commit (threads, a live server).

    Django empties every table after such a test, and the audit table refuses DELETE and
    TRUNCATE by design; so the triggers are dropped for that flush and put back after it
    (see pytest_runtest_teardown below). Serialized rollback restores the seeded roles
    that the flush empties.
    """
    yield
    drop_triggers(connection)
    _triggers_dropped.set()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # nextitem None: the session is over and the test database already destroyed.
    if nextitem is not None and _triggers_dropped.is_set():
        _triggers_dropped.clear()
        with item.config.stash[blocking_manager_key].unblock():
            install_triggers(connection)
    return result
