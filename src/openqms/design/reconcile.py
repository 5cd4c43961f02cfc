"""The trace's reconciliation check (`openqms verify`): the stored gap state of every
design project equals the gaps recomputed from scratch (design.trace.full_check). The
gap rows are derived state, kept by the actions; a difference means a row was written
around them (or a writer forgot to refresh the trace)."""

from openqms.core.integrity import Finding, Findings
from openqms.design import trace
from openqms.design.models import DesignProject

CHECK = "design: gap_state"


def gap_state() -> Findings:
    """Every project's stored gaps equal a fresh full check, gap for gap."""
    found = Findings()
    for pk, name in DesignProject.objects.order_by("pk").values_list("pk", "name"):
        fresh = {(r.uid, r.rule): r.detail for r in trace.full_check(pk)}
        stored = {(r.uid, r.rule): r.detail for r in trace.gaps(pk)}
        found.checked += len(fresh.keys() | stored.keys())
        for uid, rule in sorted(fresh.keys() | stored.keys()):
            should, has = fresh.get((uid, rule)), stored.get((uid, rule))
            if should != has:
                found.append(
                    Finding(
                        CHECK,
                        f"design.item {uid} in {name} ({rule})",
                        f"a fresh check finds {should!r}"
                        if should
                        else "a fresh check finds no gap",
                        f"stored {has!r}" if has else "no gap stored",
                    )
                )
    return found
