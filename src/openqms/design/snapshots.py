"""Baseline snapshots: their digest and the comparison of two baselines (ISO 13485
7.3.10: the design history shows what changed from one baseline to the next).

The digest is SHA-256 over a canonical listing of the snapshot: one JSON line per item
(uid, type, version, title, text, attributes) in uid order, then one per link (source,
kind, target, suspect) in order. It is computed when the snapshot is taken and again
before signing, so a snapshot whose rows changed cannot be signed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from openqms.design.models import Baseline, BaselineItem, BaselineLink

ITEM_FIELDS = ("type_code", "version", "title", "text", "attributes")


def _line(values: list) -> bytes:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def item_row(i: BaselineItem) -> list:
    return [i.uid, i.type_code, i.version, i.title, i.text, i.attributes]


def link_row(link: BaselineLink) -> list:
    return [link.source_uid, link.kind, link.target_uid, link.suspect]


def digest_of(items: Iterable[BaselineItem], links: Iterable[BaselineLink]) -> str:
    h = hashlib.sha256()
    for row in sorted(item_row(i) for i in items):
        h.update(b"I" + _line(row) + b"\n")
    for row in sorted(link_row(link) for link in links):
        h.update(b"L" + _line(row) + b"\n")
    return h.hexdigest()


def stored_digest(baseline: Baseline) -> str:
    """The digest of the snapshot rows as they are stored now."""
    return digest_of(
        BaselineItem.objects.filter(baseline=baseline).order_by("uid"),
        BaselineLink.objects.filter(baseline=baseline),
    )


@dataclass(frozen=True)
class ItemChange:
    uid: str
    type_code: str
    old_version: int
    new_version: int
    fields: tuple[str, ...]


@dataclass
class Comparison:
    """What changed from baseline `a` to baseline `b`."""

    a: Baseline
    b: Baseline
    added: list[BaselineItem] = field(default_factory=list)
    removed: list[BaselineItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    links_added: list[tuple[str, str, str]] = field(default_factory=list)
    links_removed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.links_added or self.links_removed
        )

    def as_dict(self) -> dict:
        return {
            "from": self.a.name,
            "to": self.b.name,
            "added": [[i.uid, i.type_code, i.version] for i in self.added],
            "removed": [[i.uid, i.type_code, i.version] for i in self.removed],
            "changed": [
                {
                    "uid": c.uid,
                    "type": c.type_code,
                    "from_version": c.old_version,
                    "to_version": c.new_version,
                    "fields": list(c.fields),
                }
                for c in self.changed
            ],
            "links_added": [list(x) for x in self.links_added],
            "links_removed": [list(x) for x in self.links_removed],
        }


def compare(a: Baseline, b: Baseline) -> Comparison:
    """Items added, removed and changed (versions and which fields) and links added and
    removed from `a` to `b`, in four queries however large the baselines."""
    old = {i.uid: i for i in BaselineItem.objects.filter(baseline=a).order_by("uid")}
    new = {i.uid: i for i in BaselineItem.objects.filter(baseline=b).order_by("uid")}
    out = Comparison(a=a, b=b)
    out.added = [new[uid] for uid in sorted(new.keys() - old.keys())]
    out.removed = [old[uid] for uid in sorted(old.keys() - new.keys())]
    for uid in sorted(old.keys() & new.keys()):
        x, y = old[uid], new[uid]
        fields = tuple(f for f in ITEM_FIELDS if getattr(x, f) != getattr(y, f))
        if fields:
            out.changed.append(ItemChange(uid, y.type_code, x.version, y.version, fields))

    def links(baseline: Baseline) -> set[tuple[str, str, str]]:
        rows = BaselineLink.objects.filter(baseline=baseline)
        return set(rows.values_list("source_uid", "kind", "target_uid"))

    before, after = links(a), links(b)
    out.links_added = sorted(after - before)
    out.links_removed = sorted(before - after)
    return out
