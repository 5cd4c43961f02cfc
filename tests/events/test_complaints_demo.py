"""The demo's complaints: a serious incident with 4 days left on its 10-day clock, one
other serious incident ready for vigilance, a trend candidate needing a CAPA, feedback
that is not a complaint, and the applicator's expected side effect. Run twice, made once."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.demo import seed_demo
from openqms.events.demo import complaints as story
from openqms.events.models import Complaint, Feedback


@pytest.mark.verifies("EVT-044")
def test_the_demo_tells_the_complaints_story_once(db, settings):
    seed_demo()
    story.run()
    missed = Complaint.objects.get(title=story.MISSED_AF)
    decision = missed.decisions.get(in_force=True)
    assert (decision.category, decision.rule.days) == ("death_or_unanticipated", 10)
    left = decision.deadline_at - timezone.now()
    assert dt.timedelta(days=4) < left <= dt.timedelta(days=5)
    lead = Complaint.objects.get(title=story.LEAD)
    assert lead.decisions.get(in_force=True).category == "other_serious"
    app = Complaint.objects.get(title=story.APP)
    assert (app.state, app.capa_needed, app.incident_type) == ("open", True, "non_serious_incident")
    assert app.decisions.get(in_force=True).trend_candidate
    dark = Feedback.objects.get(title=story.DARK)
    assert dark.classification == "not_complaint" and dark.classification_reason
    redness = Complaint.objects.get(title=story.REDNESS)
    assert redness.device.name == "RhythmCheck patch applicator"
    # the trends demo adds history complaints; the story's own are made once
    story_titles = [story.MISSED_AF, story.LEAD, story.APP, story.REDNESS]
    assert Complaint.objects.filter(title__in=story_titles).count() == 4
