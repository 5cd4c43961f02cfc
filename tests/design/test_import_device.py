"""A project made by an import is attached to the device named on the command line."""

from pathlib import Path

import pytest
from django.core.management import call_command

from openqms.core.models import AuditEvent
from openqms.design.models import DesignProject
from openqms.qms.actions.families import create_family
from openqms.testing import changes_of
from tests.devices.conftest import make_device

FILES = Path(__file__).parent / "files"


@pytest.mark.verifies("DES-016")
def test_the_project_made_on_first_import_belongs_to_the_named_device(cast, capsys):
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    device = make_device(cast, family)
    call_command(
        "design", "import", str(FILES / "good_sdoc"), "--project", "Rhythm",
        "--device", "RhythmCheck", "--as", cast.author.username,
    )  # fmt: skip
    assert DesignProject.objects.get(name="Rhythm").device == device
    created = AuditEvent.objects.get(action="design.project.created")
    assert changes_of(created)["device"] == [None, str(device)]


@pytest.mark.verifies("DES-016")
def test_an_unknown_device_is_refused_before_anything_is_read(cast, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command(
            "design", "import", str(FILES / "good_sdoc"), "--project", "Rhythm",
            "--device", "Nope", "--as", cast.author.username,
        )  # fmt: skip
    assert exited.value.code == 1
    assert "There is no device “Nope”" in capsys.readouterr().err
    assert DesignProject.objects.count() == 0
