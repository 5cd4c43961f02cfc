"""`migrate` makes the file store, private, so that IQ finds it on a fresh install."""

import stat

import pytest

from openqms.core.instance import make_file_store
from openqms.validation import iq


@pytest.mark.verifies("VAL-009")
def test_migrate_makes_a_missing_file_store_closed_to_others(settings, tmp_path):
    store = tmp_path / "data" / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": store},
        },
    }

    make_file_store()

    assert stat.S_IMODE(store.stat().st_mode) == 0o750
    assert iq.check_locations()[0].passed


def test_an_existing_file_store_is_left_as_it_is(settings, tmp_path):
    store = tmp_path / "files"
    store.mkdir(mode=0o700)
    (store / "kept.txt").write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": store},
        },
    }

    make_file_store()

    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    assert (store / "kept.txt").read_text() == "x"
