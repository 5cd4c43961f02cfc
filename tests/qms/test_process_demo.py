"""The demo's eight processes of Halden Health Ltd, with links, KPIs and documents."""

from openqms.core import actions as core
from openqms.core import modules
from openqms.core.models import Role
from openqms.qms.demo_processes import seed_processes
from openqms.qms.models import Process
from openqms.testing import PASSWORD, event_count


def test_the_demo_registers_eight_linked_processes_once(db):
    for username, role in (("qa", "qa_lead"), ("author", "author"), ("approver", "approver")):
        core.create_user(
            actor=None,
            username=username,
            full_name=username.title(),
            email=f"{username}@example.test",
            password=PASSWORD,
            roles=[Role.objects.get(code=role)],
            reason="demo test",
        )
    seed_processes()
    assert list(Process.objects.values_list("code", flat=True)) == [f"PR-0{i}" for i in range(1, 9)]
    design = Process.objects.get(code="PR-03")
    assert design.outsourced and design.owner.username == "approver"
    assert sorted(design.feeds.values_list("code", flat=True)) == ["PR-04", "PR-06"]
    assert all(p.kpis.exists() for p in Process.objects.all())
    before = event_count()
    seed_processes()  # idempotent
    assert event_count() == before


def test_the_demo_step_runs_after_documents_and_training():
    steps = {step.name: step.order for step in modules.demo_steps()}
    assert steps["qms: processes"] == 22
    assert steps["documents"] < steps["training"] < steps["qms: processes"]
