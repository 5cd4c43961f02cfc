"""A module plugs in through its Module declaration, and a test adds one through the
public `modules.temporarily`, never by editing the registry's lists."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from openqms.core import modules
from openqms.core.inbox import Task, tasks_for
from openqms.core.modules import Job, Module, NavEntry
from openqms.core.registry import event_types, permissions


def _sample(**extra) -> Module:
    return Module(
        label="sample",
        urls="tests.core.sample_module_urls",
        url_prefix="sample/",
        nav=[NavEntry("Sample things", "sample:home", order=60)],
        jobs=[Job("sample: count", lambda: "counted", order=20)],
        **extra,
    )


def test_a_registered_module_serves_its_url_and_shows_its_nav_entry(signed_in, cast):
    client = signed_in(cast.author)
    with modules.temporarily(_sample()):
        page = client.get("/sample/")
        home = client.get("/").content.decode()
    assert page.content == b"The sample module's page"
    assert '<a href="/sample/">Sample things</a>' in home


def test_a_registered_module_offers_its_job_and_tasks_in_order(cast):
    task = Task(kind="Sample", title="Look at the sample", url="/sample/")
    with modules.temporarily(_sample(tasks=[lambda user: [task]])):
        names = [job.name for job in modules.jobs()]
        assert task in tasks_for(cast.author)
    assert names.index("sample: count") < names.index("core: queued emails")


def test_an_unregistered_module_leaves_nothing_behind(signed_in, cast):
    client = signed_in(cast.author)
    with modules.temporarily(_sample()):
        pass
    assert client.get("/sample/").status_code == 404
    assert "Sample things" not in client.get("/").content.decode()
    assert "sample: count" not in [job.name for job in modules.jobs()]
    assert "sample" not in [m.label for m in modules.installed()]
    with pytest.raises(NoReverseMatch):
        reverse("sample:home")


def test_a_module_listening_to_a_hook_nobody_offers_is_refused():
    deaf = Module(label="deaf", listens={"nobody.offers_this": lambda *args: None})
    with (
        pytest.raises(ImproperlyConfigured, match=r"nobody\.offers_this"),
        modules.temporarily(deaf),
    ):
        pass  # pragma: no cover
    assert "deaf" not in [m.label for m in modules.installed()]


def test_the_installed_modules_declare_their_hooks_jobs_and_demo_in_order():
    labels = [m.label for m in modules.installed()]
    assert {"core", "documents", "training", "testapp"} <= set(labels)
    jobs = [job.name for job in modules.jobs()]
    assert jobs == [
        "documents: future effective dates",
        "documents: external document checks",
        "training: compliance snapshot",
        "qms: certificate reminders",
        "training: reminders",
        "documents: review reminders",
        "events: vigilance escalations",
        "events: CAPA reminders",
        "devices: registration reminders",
        "suppliers: reminders",
        "events: PMS reminders",
        "core: integrity check",
        "core: audit checkpoint",
        "core: queued emails",
    ]
    assert [step.name for step in modules.demo_steps()] == [
        "documents",
        "training",
        "qms: device families",
        "qms: processes",
        "qms: certificates",
        "qms: scope",
        "devices: RhythmCheck and its accessory",
        "suppliers",
        "events: procedures",
        "events: complaints",
        "events: vigilance",
        "events: fsca",
        "events: trends",
        "events: pms",
        "events: nonconformance",
        "events: CAPA",
        "design: RhythmCheck's design project",
        "design: risk file",
        "design: baselines, reviews, changes",
        "design: CI evidence",
        "design: release 1.0 signed",
        "design: software system, SOUP and SBOMs",
        "design: a requirement clarified after release",
    ]


def test_every_permission_and_event_type_belongs_to_an_installed_module():
    labels = {m.label for m in modules.installed()}
    codes = [c.code for c in (*permissions.all(), *event_types.all())]
    assert sorted({code.split(".")[0] for code in codes} - labels) == []
