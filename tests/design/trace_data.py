"""Generated trace data for the trace tests: a three-level tree (user needs, design
inputs, verification tests; each linked to one parent) written in bulk, then the gap
state rebuilt. Bulk rows, not actions: these tests measure reads, not writers."""

from django.utils import timezone

from openqms.design import trace
from openqms.design.models import Item, ItemType, Link


def grow(cast, project, count: int, start: int = 0) -> None:
    types = {t.code: t for t in ItemType.objects.all()}
    now = timezone.now()
    tops = max(1, count // 10)
    mids = (count - tops) // 2
    plan = (
        [("UN", "user_need", i) for i in range(tops)]
        + [("REQ", "design_input", i) for i in range(mids)]
        + [("TEST", "verification", i) for i in range(count - tops - mids)]
    )
    made = Item.objects.bulk_create(
        Item(
            project=project,
            uid=f"{prefix}-{start + n}",
            item_type=types[code],
            title=f"{code} {n}",
            created_at=now,
            created_by=cast.author,
            updated_at=now,
        )
        for prefix, code, n in plan
    )
    ids = {(p, n): item.pk for (p, _, n), item in zip(plan, made, strict=True)}
    links = [
        Link(
            project=project,
            source_id=ids["REQ", n],
            kind="derives_from",
            target_id=ids["UN", n % tops],
            source_version=1,
            target_version=1,
            created_at=now,
            created_by=cast.author,
        )
        for n in range(mids)
    ] + [
        Link(
            project=project,
            source_id=ids["TEST", n],
            kind="verifies",
            target_id=ids["REQ", n % mids],
            source_version=1,
            target_version=1,
            created_at=now,
            created_by=cast.author,
        )
        for n in range(count - tops - mids)
    ]
    Link.objects.bulk_create(links, batch_size=2000)
    trace.rebuild(project.pk)
