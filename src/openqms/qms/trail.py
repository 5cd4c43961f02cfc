"""The audit trail's names for the QMS frame's records (module contract `records`).

Each area adds a namer for its object types to NAMERS: namer(viewer, ids) -> {id:
RecordRef}, a constant number of queries per call."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from openqms.core.models import User
from openqms.core.modules import RecordKey, RecordRef
from openqms.qms import certificate_records, trail_families, trail_scope
from openqms.qms.trail_processes import name_processes

Namer = Callable[[User, Sequence[str]], dict[str, RecordRef]]

NAMERS: dict[str, Namer] = {
    # organisation and scope
    **trail_scope.NAMERS,
    # processes
    "qms.process": name_processes,
    # certificates and clauses
    certificate_records.CERTIFICATE: certificate_records.certificate_names,
    certificate_records.CLAUSE: certificate_records.clause_names,
    # device families
    "qms.devicefamily": trail_families.names,
}


def records(viewer: User, keys: Sequence[RecordKey]) -> dict[RecordKey, RecordRef]:
    wanted: dict[str, list[str]] = {}
    for object_type, object_id in keys:
        wanted.setdefault(object_type, []).append(object_id)
    found: dict[RecordKey, RecordRef] = {}
    for object_type, ids in wanted.items():
        namer = NAMERS.get(object_type)
        if namer is not None:
            found.update({(object_type, i): ref for i, ref in namer(viewer, ids).items()})
    return found
