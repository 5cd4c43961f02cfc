"""The QMS dashboard's device panel: devices by class and state, registrations to update."""

import pytest

from openqms.devices import actions

from .conftest import make_device


@pytest.mark.verifies("DEV-020")
def test_the_panel_counts_devices_by_class_and_state(signed_in, cast, family, registered):
    actions.take_step(actor=cast.qa_lead, device=registered, step="place")
    make_device(cast, family, name="Other")
    actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck X")
    page = signed_in(cast.auditor).get("/qms/")
    panels = {p.title: p for p in page.context["panels"]}
    panel = panels["Devices"]
    assert panel.context["rows"] == [{"label": "Class IIa", "cells": [1, 1, 0, 0]}]
    assert panel.context["stale"] == 1
    assert "1 MHRA registration to update." in page.content.decode()


@pytest.mark.verifies("DEV-020")
def test_no_devices_no_panel(signed_in, cast):
    page = signed_in(cast.auditor).get("/qms/")
    assert "Devices" not in {p.title for p in page.context["panels"]}
