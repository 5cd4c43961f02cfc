"""Attendees are picked from a list of checkboxes (usable with many people, without
JavaScript; a script adds a filter box), not a Ctrl-click multiple select."""

import re

from django.utils import timezone

from openqms.core import actions as core
from openqms.testing import PASSWORD
from openqms.training.models import TrainingSession


def test_the_form_lists_everyone_as_checkboxes_with_a_filter_script(signed_in, cast, sop_a):
    for n in range(60):
        core.create_user(
            actor=None, username=f"p{n:02}", full_name=f"Person {n:02}", password=PASSWORD
        )
    html = signed_in(cast.qa_lead).get("/training/sessions/new/").content.decode()
    assert "<select" in html and 'name="attendees"' in html
    assert not re.search(r'<select[^>]*name="attendees"', html)
    boxes = re.findall(r'<input type="checkbox" name="attendees" value="([^"]+)"', html)
    assert len(boxes) == 60 + 9 and "p59" in boxes and "trainee" in boxes
    assert "<legend>Attendees</legend>" in html and "data-pick" in html
    assert '<script src="/static/training/pick.js" defer></script>' in html


def test_ticking_several_people_records_them_all(signed_in, cast, engineer, sop_a):
    response = signed_in(cast.qa_lead).post(
        "/training/sessions/new/",
        {
            "revision": sop_a.pk,
            "trainer": "author",
            "held_on": timezone.localdate().isoformat(),
            "attendees": ["trainee", "reviewer", "approver"],
            "material": "Walkthrough",
        },
    )
    assert response.status_code == 302
    (session,) = TrainingSession.objects.all()
    assert sorted(session.attendees.values_list("username", flat=True)) == [
        "approver",
        "reviewer",
        "trainee",
    ]
