"""The XLSX matrix opens with the moment its figures were read, in the instance's time
zone with the zone named, and the definition of “% current”; each requirement has the
day the training that counts was completed, in that zone too."""

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from openqms.training import actions, export, matrix
from openqms.training.models import Assignment

from .conftest import SIGN

# 00:30 in London in summer is 23:30 UTC the day before.
SUMMER_NIGHT = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)


def _book(client):
    response = client.get("/training/matrix/export.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content), read_only=True)


def test_the_as_of_line_names_the_local_time_and_zone(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert export.as_of_line(SUMMER_NIGHT) == "As of 01 Jul 2026 00:30 BST (Europe/London)"
    winter = dt.datetime(2026, 11, 29, 17, 5, tzinfo=dt.UTC)
    assert export.as_of_line(winter) == "As of 29 Nov 2026 17:05 GMT (Europe/London)"


def test_both_sheets_open_with_the_as_of_line_and_the_definition(
    signed_in, cast, engineer, sop_a, monkeypatch
):
    monkeypatch.setattr(export.timezone, "now", lambda: SUMMER_NIGHT)
    book = _book(signed_in(cast.qa_lead))
    for name in ("Matrix", "By document"):
        first = next(book[name].iter_rows(values_only=True))
        assert list(first) == ["As of 01 Jul 2026 00:30 BST (Europe/London)", matrix.DEFINITION]


def test_a_completed_training_shows_its_local_completion_day(signed_in, cast, engineer, sop_a):
    assignment = Assignment.objects.get(person=cast.trainee)
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    # Completed at 00:30 London time on 1 July: the day shown is 1 July, not 30 June.
    Assignment.objects.filter(pk=assignment.pk).update(completed_at=SUMMER_NIGHT)
    rows = [list(r) for r in _book(signed_in(cast.qa_lead))["Matrix"].iter_rows(values_only=True)]
    assert rows[1] == [
        "Name",
        "Username",
        "Department",
        "% current",
        "SOP-001 rev A: status",
        "SOP-001 rev A: due",
        "SOP-001 rev A: completed",
    ]
    assert rows[2][:6] == ["Taylor Trainee", "trainee", None, 100, "Current", None]
    assert rows[2][6] == dt.datetime(2026, 7, 1, 0, 0)
    assert timezone.localdate(SUMMER_NIGHT) == dt.date(2026, 7, 1)
