"""Walk findings 13 and 26: the requirement form names the field left empty, and a
requirement's row says what it requires once."""

from django.urls import reverse

from openqms.qms.actions.processes import create_process
from openqms.testing import event_count
from openqms.training import actions
from openqms.training.models import Requirement


def test_a_process_requirement_with_no_process_says_choose_the_process(cast, signed_in):
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post(
        reverse("training:requirement-add", args=[role.pk]), {"kind": "process"}, follow=True
    ).content.decode()
    assert "Choose the process." in page
    assert "Choose what the job role requires." not in page
    assert not Requirement.objects.exists() and event_count() == before


def test_the_requirement_row_does_not_repeat_itself(cast, signed_in):
    create_process(
        actor=cast.qa_lead,
        code="PR-06",
        name="Software development",
        owner=cast.qa_lead,
        purpose="Develop software.",
        inputs="",
        outputs="",
        risk="medium",
        risk_rationale="",
        monitoring="",
        outsourced=False,
    )
    role = actions.create_job_role(actor=cast.qa_lead, name="Software engineer")
    client = signed_in(cast.qa_lead)
    client.post(
        reverse("training:requirement-add", args=[role.pk]), {"kind": "process", "process": "PR-06"}
    )
    page = client.get(reverse("training:job-role", args=[role.pk])).content.decode()
    assert "Every document serving process PR-06 Software development" in page
    assert "(Every document serving a process)" not in page
