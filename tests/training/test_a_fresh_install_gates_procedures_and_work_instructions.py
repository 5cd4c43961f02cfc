"""A fresh install (no document yet) gates procedures and work instructions and checks
the effectiveness of their training (training 0003); an upgraded instance with documents
keeps the rules its quality team chose. (The suite itself starts from every rule off:
tests/conftest.py.)"""

from importlib import import_module

import pytest
from django.apps import apps

from openqms.training.models import TrainingRule

pytestmark = pytest.mark.verifies("TRN-022")

MIGRATION = import_module("openqms.training.migrations.0003_session_trainer_reason_and_defaults")


def _rules():
    return dict(
        TrainingRule.objects.values_list("doc_type__code", "gate").order_by("doc_type__code")
    ) | {
        f"{code} check": check
        for code, check in TrainingRule.objects.values_list("doc_type__code", "effectiveness_check")
    }


def test_a_fresh_install_turns_the_gate_and_checks_on_for_sops_and_wis(db):
    MIGRATION.fresh_install_defaults(apps, None)
    on = {
        code: (gate, check)
        for code, gate, check in TrainingRule.objects.values_list(
            "doc_type__code", "gate", "effectiveness_check"
        )
    }
    assert {code for code, rule in on.items() if rule == (True, True)} == {
        "procedure",
        "work_instruction",
    }
    assert {code for code, rule in on.items() if rule != (True, True)} == set(on) - {
        "procedure",
        "work_instruction",
    }
    assert all(rule == (False, False) for code, rule in on.items() if code not in MIGRATION.GATED)


def test_an_instance_with_documents_keeps_its_rules(db, sop_a):
    before = _rules()
    MIGRATION.fresh_install_defaults(apps, None)
    assert _rules() == before
    assert not TrainingRule.objects.filter(gate=True).exists()
