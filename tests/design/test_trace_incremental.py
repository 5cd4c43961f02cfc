"""refresh keeps the stored gap state equal to a fresh full check after any sequence of
edits (hypothesis, small graphs), and costs a bounded number of queries; full_check
reads a large project in a bounded number of queries."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.core.models import Signature
from openqms.design import trace
from openqms.design.actions import items as design
from openqms.design.models import Gap, Item, Link
from tests.design.conftest import SIGN, item
from tests.design.trace_data import grow

TYPES = ["risk", "user_need", "design_input", "risk_control", "design_output", "verification"]
LINKS = [
    ("design_input", "derives_from", "user_need"),
    ("design_output", "implements", "design_input"),
    ("design_output", "implements", "risk_control"),
    ("verification", "verifies", "design_input"),
    ("verification", "verifies", "risk_control"),
    ("risk_control", "mitigates", "risk"),
]
steps = st.lists(
    st.tuples(st.sampled_from(["link", "unlink", "edit", "retire", "clear"]), st.integers(0, 99)),
    min_size=1,
    max_size=12,
)


def stored(project):
    return sorted(Gap.objects.filter(project=project).values_list("item__uid", "rule", "detail"))


def fresh(project):
    return sorted((r.uid, r.rule, r.detail) for r in trace.full_check(project.pk))


def unsigned(links):
    signed = set(
        Signature.objects.filter(object_type="design.link").values_list("object_id", flat=True)
    )
    return [link for link in links if str(link.pk) not in signed]


def apply(cast, project, step, n):
    active = list(Item.objects.filter(project=project, state="active").order_by("pk"))
    links = list(Link.objects.filter(project=project).order_by("pk"))
    if step == "link" and active:
        source_type, kind, target_type = LINKS[n % len(LINKS)]
        sources = [i for i in active if i.item_type.code == source_type]
        targets = [i for i in active if i.item_type.code == target_type]
        if sources and targets:
            source, target = sources[n % len(sources)], targets[(n // 7) % len(targets)]
            if not Link.objects.filter(source=source, kind=kind, target=target).exists():
                design.link_items(actor=cast.author, source=source, kind=kind, target=target)
    elif step == "unlink" and unsigned(links):
        free = unsigned(links)  # a signed link cannot be removed
        design.unlink_items(actor=cast.author, link=free[n % len(free)], reason="r")
    elif step == "edit" and active:
        target = active[n % len(active)]
        design.edit_item(
            reason="x",
            actor=cast.author,
            item=target,
            title=target.title,
            text_=f"v{n}{target.version}",
        )
    elif step == "retire" and len(active) > 3:
        design.retire_item(actor=cast.author, item=active[n % len(active)], reason="r")
    elif step == "clear":
        suspect = [link for link in links if link.state == "suspect"]
        if suspect:
            design.clear_suspect(
                actor=cast.reviewer, link=suspect[n % len(suspect)], credentials=SIGN
            )


@pytest.mark.verifies("DES-010")
@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=steps)
def test_refresh_matches_a_full_check_after_random_edits(cast, steps):
    project = design.create_project(actor=cast.author, name=f"P{Item.objects.count()}{len(steps)}")
    for n, code in enumerate(TYPES * 2):
        item(cast, project, f"{code.upper()}-{n}", code)
    for step, n in steps:
        apply(cast, project, step, n)
        assert stored(project) == fresh(project)


@pytest.mark.verifies("DES-044")
def test_an_edit_costs_a_bounded_number_of_queries(cast, project, django_assert_max_num_queries):
    grow(cast, project, 300)
    req = Item.objects.get(project=project, uid="REQ-3")
    with django_assert_max_num_queries(60):
        design.edit_item(
            reason="Clarified.", actor=cast.author, item=req, title="REQ-3", text_="Changed."
        )
    assert stored(project) == fresh(project)


@pytest.mark.verifies("DES-044")
def test_a_full_check_of_2000_items_takes_a_few_queries(
    cast, project, django_assert_max_num_queries
):
    grow(cast, project, 2000)
    with django_assert_max_num_queries(6):
        rows = trace.full_check(project.pk)
    assert len(rows) == len(Gap.objects.filter(project=project))
