"""Electronic signatures (21 CFR 11.50, 11.70, 11.200).

A signable object answers `signature_version()` (which version is signed) and
`signature_content()` (a dict of exactly what is signed); a model with many signed rows
may also answer `signature_contents(pks)` -> {pk: (version, content)}, the same for many
at once in a few queries, as plain JSON data (`openqms verify` uses it). A signature
stores the SHA-256 of that content and a manifest hash over who, when, what meaning and
which object version, so it can neither be moved to another record nor outlive a change.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.actions.auth import (
    authenticate_password_for_signing,
    has_second_factor,
    verify_second_factor,
)
from openqms.core.errors import (
    AlreadySigned,
    InvalidInput,
    ReauthenticationFailed,
)
from openqms.core.models import Signature, User
from openqms.core.registry import meanings


class Signable(Protocol):
    pk: Any

    def signature_version(self) -> str: ...

    def signature_content(self) -> dict[str, Any]: ...


# A signing gate answers None when `signer` may give `meaning` to `obj`, or why not (the
# training gate: nobody signs work done to a procedure they are not trained on). Modules
# declare theirs in their module.py (`signing_gates=[...]`).
SigningGate = Callable[[User, Any, str], "str | None"]


def signing_refusal(*, signer: User, obj: Any, meaning: str) -> str | None:
    """Why a gate refuses this signature, or None; asked before the password and again
    under the row lock."""
    for gate in modules.signing_gates():
        reason = gate(signer, obj, meaning)
        if reason:
            return reason
    return None


@dataclass(frozen=True)
class Credentials:
    """What the signer gives at the moment of signing: the password again, the code where
    enrolled, and the content hash they were shown (so they sign what they saw)."""

    password: str
    otp_code: str = ""
    content_hash: str = ""
    # Set for what a person posts from a page or the API (core.signing.signer_credentials):
    # there the content hash they were shown is required. Code that signs (the demo,
    # tests) may leave it unset.
    hash_required: bool = False


def object_type_of(obj: Any) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical_json(content).encode()).hexdigest()


def plain_content_hash(content: dict[str, Any]) -> str:
    """`content_hash` of content that is plain JSON data already (string keys; strings,
    numbers, booleans, None, lists and dicts), without converting it first: the same
    digest, several times faster (`openqms verify` hashes every signed content)."""
    return hashlib.sha256(_plain_text(content).encode()).hexdigest()


V = TypeVar("V")

# object id: (signed version, the canonical text its content hash covers)
SignedTexts = dict[str, tuple[str, str]]


def signed_texts_loader(object_type: str) -> Callable[[list[str]], SignedTexts] | None:
    """Reads the signed versions and contents of many objects of one type at once (None
    when no model has that name): the model's `signature_contents(pks)` where it has one,
    else its rows in one query. An id that cannot be a key names nothing and is left out.
    `openqms verify` hashes the texts; `openqms archive export` writes them."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    to_python = model._meta.pk.to_python
    bulk = getattr(model, "signature_contents", None)

    def load(ids: list[str]) -> SignedTexts:
        keys = {}
        for object_id in ids:
            try:
                keys[to_python(object_id)] = object_id
            except ValidationError:
                continue
        if bulk is not None:  # plain JSON data already: canonical without converting
            return {keys[pk]: (v, _plain_text(c)) for pk, (v, c) in bulk(list(keys)).items()}
        objects = model._default_manager.in_bulk(list(keys))
        return {
            keys[pk]: (str(obj.signature_version()), audit.canonical_json(obj.signature_content()))
            for pk, obj in objects.items()
        }

    return load


def load_by_type(
    pairs: Iterable[tuple[str, str]],
    loaders: dict[str, Callable[[list[str]], dict[str, V]] | None],
    make_loader: Callable[[str], Callable[[list[str]], dict[str, V]] | None],
) -> dict[tuple[str, str], V]:
    """What each type's loader says of the (object_type, object_id) `pairs`: one call per
    type. `loaders` keeps each type's loader (`make_loader(object_type)`) from batch to
    batch; a type with no loader names nothing. `openqms verify` and `openqms archive
    export` read signed objects this way, a batch of signatures at a time."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in pairs:
        wanted[object_type].add(object_id)
    found: dict[tuple[str, str], V] = {}
    for object_type, ids in wanted.items():
        if object_type not in loaders:
            loaders[object_type] = make_loader(object_type)
        load = loaders[object_type]
        if load is not None:
            found |= {(object_type, k): v for k, v in load(sorted(ids)).items()}
    return found


def _plain_text(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def manifest_hash(sig: Signature) -> str:
    return manifest_hash_of(*(getattr(sig, name) for name in MANIFEST_FIELDS))


# What a manifest hash covers, in `manifest_hash_of`'s order (`openqms verify` reads
# these columns for many signatures at once).
MANIFEST_FIELDS = (
    "signer_id",
    "printed_name",
    "signed_at",
    "meaning",
    "object_type",
    "object_id",
    "object_version",
    "content_hash",
)


def manifest_hash_of(
    signer_id: int,
    printed_name: str,
    signed_at: Any,
    meaning: str,
    object_type: str,
    object_id: str,
    object_version: str,
    content_hash_: str,
) -> str:
    return plain_content_hash(
        {
            "signer": signer_id,
            "printed_name": printed_name,
            "signed_at": audit.format_time(signed_at),
            "meaning": meaning,
            "object_type": object_type,
            "object_id": object_id,
            "object_version": object_version,
            "content_hash": content_hash_,
        }
    )


def reauthenticate(
    *, signer: User, credentials: Credentials | None, about: dict[str, str] | None = None
) -> None:
    """Internal to core: only core.signing's one signed-step path calls it.

    Part 11 §11.200(a): the signer proves who they are again, password (and code). A
    failure is recorded and counts toward lockout in its own transaction, so it survives
    the refusal, naming what was being signed (`about`). Called before the signing
    transaction opens."""
    if credentials is None or not credentials.password:
        raise ReauthenticationFailed("Signing needs your password.")
    authenticate_password_for_signing(user=signer, password=credentials.password, about=about)
    if has_second_factor(signer):
        verify_second_factor(
            user=signer, code=credentials.otp_code, action="core.auth.signing_failed", about=about
        )


def write_signature(*, signer: User, obj: Signable, meaning: str, reason: str = "") -> Signature:
    """Write the signature and its audit event. Internal to core: only core.signing's
    `perform` calls it, inside its transaction, after the gates, the re-check under the
    lock and the comparison with the content the signer was shown."""
    if meaning not in meanings:
        raise InvalidInput(f"Unknown signature meaning {meaning!r}.")
    now = timezone.now()
    chash = content_hash(obj.signature_content())
    sig = Signature(
        signer=signer,
        printed_name=signer.full_name,
        signed_at=now,
        meaning=meaning,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_version=str(obj.signature_version()),
        content_hash=chash,
    )
    sig.manifest_hash = manifest_hash(sig)
    sig.audit_event = audit.record(
        actor=signer,
        action="core.signature.signed",
        obj=obj,
        reason=reason,
        changes={
            "meaning": meaning,
            "version": sig.object_version,
            "content_hash": chash,
            "manifest_hash": sig.manifest_hash,
            "printed_name": sig.printed_name,
        },
    )
    try:
        with transaction.atomic():
            sig.save(force_insert=True)
    except IntegrityError:
        raise AlreadySigned(
            f"You have already signed version {sig.object_version} as “{meanings.label(meaning)}”."
        ) from None
    return sig


@dataclass(frozen=True)
class Manifestation:
    """What every screen, PDF and export shows of a signature (Part 11 §11.50)."""

    printed_name: str
    signed_at: Any
    meaning: str
    meaning_label: str
    object_version: str
    content_hash: str
    valid: bool
    problem: str
    # Told apart for the reader: a signature voided on purpose (its content went back to
    # draft; the reason), and one that fails its check (`broken`: tampering).
    voided: str | None = None
    broken: str = ""
    # A signature of an earlier version of a record that has moved on through its own
    # actions since (a risk report opened again by a change): not tampering, not valid
    # for the record as it is now.
    earlier: str = ""
    # The comment the signer typed when signing (kept as the signing event's reason).
    comment: str = ""


def check(sig: Signature, obj: Signable) -> Manifestation:
    problems = []
    earlier = ""
    if sig.voided_at is not None:
        problems.append(f"voided: {sig.void_reason}")
    voids = len(problems)
    # The manifest hash is recomputed, and must also be the one the hash-chained audit
    # event recorded when the signature was applied: a forger cannot rewrite both.
    recorded = json.loads(sig.audit_event.changes).get("manifest_hash")
    if manifest_hash(sig) != sig.manifest_hash or recorded != sig.manifest_hash:
        problems.append("the signature record was altered")
    if (sig.object_type, sig.object_id) != (object_type_of(obj), str(obj.pk)):
        problems.append("it belongs to another record")
    elif sig.object_version != str(obj.signature_version()):
        now = str(obj.signature_version())
        if sig.object_version.isdigit() and now.isdigit() and int(sig.object_version) < int(now):
            earlier = (
                f"it signs version {sig.object_version}; the record has changed since (now "
                f"version {now})"
            )
        else:  # a version the record never had before this one: not its history
            problems.append(f"it signs version {sig.object_version}, not this one")
    elif content_hash(obj.signature_content()) != sig.content_hash:
        problems.append("the content changed after signing")
    return Manifestation(
        printed_name=sig.printed_name,
        signed_at=sig.signed_at,
        meaning=sig.meaning,
        meaning_label=meanings.label(sig.meaning),
        object_version=sig.object_version,
        content_hash=sig.content_hash,
        valid=not problems and not earlier,
        problem="; ".join([*problems, earlier] if earlier else problems),
        voided=sig.void_reason if sig.voided_at is not None else None,
        broken="; ".join(problems[voids:]),
        earlier=earlier,
        comment=sig.audit_event.reason,
    )


def record_label(obj: Signable) -> str:
    """The record as the signing dialog names it: "WI-015 revision A" where the version
    signed is the revision (said once), otherwise "<record>, version <n>"."""
    label, version = str(obj), str(obj.signature_version())
    if label.endswith(f" rev {version}"):
        return f"{label.removesuffix(f' rev {version}')} revision {version}"
    return f"{label}, version {version}"


def manifestations(obj: Signable, *, all_versions: bool = False) -> list[Manifestation]:
    sigs = Signature.objects.filter(
        object_type=object_type_of(obj), object_id=str(obj.pk)
    ).select_related("audit_event")
    if not all_versions:
        sigs = sigs.filter(object_version=str(obj.signature_version()))
    return [check(sig, obj) for sig in sigs]


def void_signatures(*, actor: User | None, obj: Signable, reason: str) -> int:
    """Void the live signatures of `obj`'s current version, inside the caller's transaction
    (e.g. content sent back to draft): they stay on record, marked void, with the reason.
    Internal to core: a module asks for it with `Transition(voids_signatures=...)`."""
    live = Signature.objects.filter(
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_version=str(obj.signature_version()),
        voided_at__isnull=True,
    )
    now, count = timezone.now(), 0
    for sig in live.select_for_update():
        sig.voided_at, sig.void_reason = now, reason
        sig.save(update_fields=["voided_at", "void_reason"])
        audit.record(
            actor=actor,
            action="core.signature.voided",
            obj=obj,
            reason=reason,
            changes={
                "signature": sig.manifest_hash,
                "signer": sig.printed_name,
                "meaning": sig.meaning,
                "voided_at": [None, now],
            },
        )
        count += 1
    return count
