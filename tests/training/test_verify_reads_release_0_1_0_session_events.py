"""An instance upgraded from release 0.1.0 keeps that release's events: its completion
of training by a session named no step, and `openqms verify` must still read it."""

from openqms.training.reconcile import by_attending


def test_a_session_completion_as_0_1_0_wrote_it_counts_as_attending():
    assert by_attending({"method": "session", "person": "lena", "state": ["open", "completed"]})


def test_a_completion_by_attending_counts_and_one_by_signing_does_not():
    assert by_attending({"step": "attend", "method": "session"})
    assert not by_attending({"step": "sign", "method": "session"})
    assert not by_attending({"method": "quiz"})
    assert not by_attending({})
