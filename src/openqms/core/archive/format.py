"""The archive format "openqms-archive/1" (docs/archive-format.md): which tables go in,
in which order, and how each value is written so it comes back exactly.

Every concrete field is written by column name (attname) with a type-preserving JSON
value: datetimes as UTC ISO 8601 with microseconds (Django's dumpdata cuts them to
milliseconds, which breaks the chain and every signature), dates as ISO dates, decimals
and UUIDs as strings, JSON fields as their value (object keys sorted, as jsonb would
have them in no fixed order), text exactly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models

FORMAT = "openqms-archive/1"
MANIFEST = "manifest.json"
README = "README.txt"
VERIFIER = "VERIFY.py"
SIGNED_CONTENT = "signatures/content.jsonl"
CHAIN_PART = "records/core.auditevent.jsonl"
SIGNATURE_PART = "records/core.signature.jsonl"
FILE_PART = "records/core.storedfile.jsonl"
CHECKPOINT_PART = "records/core.checkpoint.jsonl"

# Third-party apps whose rows we need back: a person's second factor (TOTP key, recovery
# codes). Left out on purpose: sessions (everyone signs in again), contenttypes and auth
# permissions (recreated by `migrate`, and no archived row points at their ids; checked
# by `archived_models`), admin log (not installed).
THIRD_PARTY_APPS = ("otp_totp", "otp_static")
LEFT_OUT_APPS = ("contenttypes", "auth", "sessions")


def label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def record_part(model_label: str) -> str:
    return f"records/{model_label}.jsonl"


def file_part(sha256: str) -> str:
    return f"files/sha256/{sha256[:2]}/{sha256}"


def _kept(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.proxy or (not meta.managed and not meta.auto_created):
        return False
    return meta.app_config.name.startswith("openqms.") or meta.app_label in THIRD_PARTY_APPS


def archived_models() -> list[type[models.Model]]:
    """Every table the archive holds, parents before the rows that point at them."""
    kept = [m for m in apps.get_models(include_auto_created=True) if _kept(m)]
    for model in kept:
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if isinstance(target, type) and target._meta.app_label in LEFT_OUT_APPS:
                raise RuntimeError(f"{label(model)}.{f.name} points at a table left out")
    ordered: list[type[models.Model]] = []
    seen: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in seen:
            return
        seen.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if isinstance(target, type) and target is not model and target in kept:
                visit(target)
        ordered.append(model)

    for model in sorted(kept, key=label):
        visit(model)
    return ordered


def signed_object(object_type: str, object_id: str) -> Any:
    """The record a signature names ("documents.revision", "12"), or None."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    return model._base_manager.filter(pk=object_id).first()


def fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in fields(model)]


def _sorted_keys(value: Any) -> Any:
    """A JSON value with its objects' keys in sorted order: PostgreSQL's jsonb keeps
    its own key order and SQLite the written one, so the archive writes neither."""
    return json.loads(json.dumps(value, sort_keys=True))


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


_OUT: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": _time,
    "DateField": lambda v: v.isoformat(),
    "TimeField": lambda v: v.isoformat(timespec="microseconds"),
    "DecimalField": str,
    "UUIDField": str,
    "DurationField": lambda v: v // dt.timedelta(microseconds=1),
    "BinaryField": lambda v: bytes(v).hex(),
    "JSONField": _sorted_keys,
}
_IN: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": dt.datetime.fromisoformat,
    "DateField": dt.date.fromisoformat,
    "TimeField": dt.time.fromisoformat,
    "DecimalField": decimal.Decimal,
    "UUIDField": uuid.UUID,
    "DurationField": lambda v: dt.timedelta(microseconds=v),
    "BinaryField": bytes.fromhex,
}


def kind(field: models.Field) -> str:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return target.get_internal_type()


def encoders(model: type[models.Model]) -> list[Callable[[Any], Any] | None]:
    return [_OUT.get(kind(f)) for f in fields(model)]


def decoders(model: type[models.Model]) -> dict[str, Callable[[Any], Any]]:
    return {f.attname: _IN[kind(f)] for f in fields(model) if kind(f) in _IN}


def row_encoder(
    names: list[str], codecs: list[Callable[[Any], Any] | None]
) -> Callable[[tuple], str]:
    """Turns a row (a tuple of `names`) into its JSON Lines line; only the columns that
    have a codec are converted (a million rows: the others are left as they are)."""
    coded = [(at, codec) for at, codec in enumerate(codecs) if codec is not None]

    def encode(row: tuple) -> str:
        if coded:
            values = list(row)
            for at, codec in coded:
                if values[at] is not None:
                    values[at] = codec(values[at])
            row = tuple(values)
        return _JSON.encode(dict(zip(names, row, strict=True)))

    return encode


# One encoder for every line: json.dumps would build one per call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(data: Any) -> str:
    """One JSON Lines line (no newline): compact, key order as given, text unescaped."""
    return _JSON.encode(data)


def decode_row(row: dict[str, Any], codecs: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    return {
        name: (codecs[name](value) if value is not None and name in codecs else value)
        for name, value in row.items()
    }
