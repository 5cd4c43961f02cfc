"""The XLSX matrix gives a competency its dates as it does a document (walk finding 12):
current — the day obtained (completed) and the expiry (due); expired — the day it
expired; missing — "Due" with no date, since a competence has no due date of its own.
(The CSV stays one table whose first row is its header, so it has no as-of line: its
file name carries the day.)"""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from openqms.training import actions

TODAY = timezone.localdate()


@pytest.fixture
def licence(cast):
    licence = actions.create_competency(
        actor=cast.qa_lead, name="Radiation safety licence", kind="licence"
    )
    role = actions.create_job_role(actor=cast.qa_lead, name="Field engineer")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="competency", competency=licence
    )
    for person in (cast.author, cast.reviewer, cast.approver):
        actions.take_job_role(actor=cast.qa_lead, person=person, job_role=role)
    return licence


def _record(cast, person, licence, obtained, expires):
    actions.add_competence_record(
        actor=cast.qa_lead,
        person=person,
        kind="certificate",
        title="Licence",
        competency=licence,
        obtained_on=obtained,
        expires_on=expires,
    )


def _rows(client) -> dict[str, list]:
    response = client.get("/training/matrix/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Matrix"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][4:] == [
        "Radiation safety licence: status",
        "Radiation safety licence: expires / due",
        "Radiation safety licence: completed",
    ]
    # openpyxl drops a row's trailing empty cells: pad to the header's width.
    return {row[1]: (row + [None] * 7)[4:7] for row in rows[2:]}


def _day(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)


def test_competencies_have_their_dates_in_the_xlsx(signed_in, cast, licence):
    obtained, expires = TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=300)
    _record(cast, cast.author, licence, obtained, expires)
    lapsed = TODAY - dt.timedelta(days=70)
    _record(cast, cast.reviewer, licence, TODAY - dt.timedelta(days=800), lapsed)
    rows = _rows(signed_in(cast.qa_lead))
    assert rows["author"] == ["Current", _day(expires), _day(obtained)]
    assert rows["reviewer"] == ["Expired", _day(lapsed), None]
    assert rows["approver"] == ["Due", None, None]


def test_a_later_valid_record_gives_its_own_dates(signed_in, cast, licence):
    _record(cast, cast.author, licence, TODAY - dt.timedelta(days=400), None)
    newer = TODAY - dt.timedelta(days=10)
    _record(cast, cast.author, licence, newer, TODAY + dt.timedelta(days=50))
    # One record never expires: the competence is valid with no expiry, obtained on the
    # latest day.
    assert _rows(signed_in(cast.qa_lead))["author"] == ["Current", None, _day(newer)]
