"""Bad health-data input is refused with the field named, nothing written, no event."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.testapp.actions import edit_specimen
from openqms.testapp.models import Specimen
from openqms.testing import event_count
from tests.core.health_data import PATIENT, specimen_with_patient


@pytest.mark.parametrize("bad", ["nul\x00inside", "x" * 2001, "lone \ud800 surrogate"])
def test_unstorable_or_too_long_patient_details_are_refused(cast, bad):
    specimen = specimen_with_patient(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        edit_specimen(actor=cast.author, specimen=specimen, body="New", patient_details=bad)
    assert "patient_details" in refused.value.fields
    assert event_count() == before
    specimen = Specimen.objects.get(pk=specimen.pk)
    assert (specimen.body, specimen.patient_details) == ("Alarm stayed silent.", PATIENT)
