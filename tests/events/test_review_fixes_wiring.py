"""Wiring that must not hang on an accident: vigilance's rule on closing a complaint is
registered when the app is ready (not because a demo module happens to import it), and
every PMS pack section the events module lists resolves."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.utils.module_loading import import_string

from openqms.events import pack

FRESH = textwrap.dedent(
    """
    import sys, types
    # No demo module imports the vigilance actions in this process.
    stub = types.ModuleType("openqms.events.demo.vigilance")
    stub.reports = lambda *a, **k: None
    sys.modules[stub.__name__] = stub
    import django
    django.setup()
    from openqms.events import guards
    print(sorted(f"{r.__module__}.{r.__name__}" for r in guards.rules_of("complaint", "close")))
    """
)


@pytest.mark.verifies("EVT-008")
def test_the_complaint_close_guard_is_registered_in_a_fresh_process_without_the_demo():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="openqms.settings_test")
    done = subprocess.run(
        [sys.executable, "-c", FRESH], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "openqms.events.actions.vigilance.close_refusal" in done.stdout


@pytest.mark.verifies("EVT-040")
def test_every_pack_section_path_resolves():
    for path in pack.SECTIONS:
        assert callable(import_string(path)), path
