"""Retention of supplier control's records (ISO 13485 4.2.5). Defaults: supplier records
are kept for 15 years after they are closed (a supplier retired, an evaluation
superseded), long enough for the technical documentation of the devices their parts and
services went into (UK MDR 2002 and EU MDR Annex IX keep it 10 years, 15 for
implantables); administrators change the years through core's retention settings."""

from __future__ import annotations

from collections.abc import Iterable

from openqms.core.modules import RecordClass

_CLASSES = [
    ("suppliers.supplier", "Suppliers", "suppliers.supplier"),
    ("suppliers.evaluation", "Supplier evaluations and decisions", "suppliers.evaluation"),
    ("suppliers.certificate", "Supplier certificates", "suppliers.suppliercertificate"),
    ("suppliers.performance", "Supplier performance records", "suppliers.performancerecord"),
    ("suppliers.outsourced", "Outsourced processes", "suppliers.outsourcedprocess"),
]


def record_classes() -> Iterable[RecordClass]:
    for code, label, object_type in _CLASSES:
        yield RecordClass(
            code=code,
            label=label,
            object_type=object_type,
            years=15,
            counted_from="closed",
            minimum_years=10,
            confidentiality="internal",
        )
