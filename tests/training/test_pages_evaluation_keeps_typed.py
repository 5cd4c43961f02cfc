"""An evaluation of effectiveness that failed on a wrong password comes back with the
method, result and comment typed (never the password)."""

from openqms.testing import event_count, events_since
from openqms.training.models import Evaluation

from .test_pages_assignment import _evaluation, _url, assignment, completed  # noqa: F401

WRONG = "not my password 4711"


def test_a_failed_evaluation_keeps_what_the_evaluator_typed(signed_in, cast, completed):  # noqa: F811
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        _url(completed, "evaluate/"), _evaluation("not_effective", password=WRONG), follow=True
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert 'value="Observed at work"' in html
    assert "Followed the procedure unaided.</textarea>" in html
    assert 'value="not_effective" required id="id_result_1" checked>' in html
    assert WRONG not in html
    assert not Evaluation.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]
