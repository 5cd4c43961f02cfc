"""Evidence tests' setup: a baseline and JUnit files.

The baselines slice owns the real action (design.actions.baselines.create_baseline);
it is not in this branch, so these tests make the Baseline row through the ORM and set
the project's current baseline, as that action does."""

from django.utils import timezone

from openqms.design.models import Baseline, BaselineState


def open_baseline(project, user, name="release 1.0", state=BaselineState.OPEN):
    baseline = Baseline.objects.create(
        project=project,
        name=name,
        kind="release",
        state=state,
        created_at=timezone.now(),
        created_by=user,
    )
    project.current_baseline = baseline
    project.save(update_fields=["current_baseline"])
    return baseline


def case(name, classname="tests.test_rhythm", outcome="passed", properties=None):
    body = ""
    if properties:
        body += (
            "<properties>"
            + "".join(f'<property name="{k}" value="{v}"/>' for k, v in properties.items())
            + "</properties>"
        )
    if outcome == "failed":
        body += '<failure message="assert 3 == 4">Traceback</failure>'
    elif outcome == "error":
        body += '<error message="boom"/>'
    elif outcome == "skipped":
        body += '<skipped message="no device"/>'
    return f'<testcase name="{name}" classname="{classname}" time="0.25">{body}</testcase>'


def suites(*cases, wrap=True):
    suite = f'<testsuite name="pytest" tests="{len(cases)}">{"".join(cases)}</testsuite>'
    xml = f"<testsuites>{suite}</testsuites>" if wrap else suite
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + xml).encode()
