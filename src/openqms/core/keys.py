"""The instance's audit key: an Ed25519 private key in a file outside the database.

It signs the audit-chain checkpoints (core.checkpoints), and a seal key derived from it
(HKDF-SHA256) seals every new audit event with an HMAC over the event's hash. Someone who
can write to the database but cannot read this file can neither sign a checkpoint nor
seal a forged event. The public half, in the one-line text form `ed25519:<base64>`, is
what the auditor is given; it verifies checkpoints and nothing else needs it.

The key is read once per process per path and kept (audit.record seals every event;
reading the file each time would cost a disk access per event).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

log = logging.getLogger(__name__)

PREFIX = "ed25519:"
_SEAL_INFO = b"openqms audit-event seal v1"


class KeyProblem(Exception):
    """The key file cannot be made or read as an audit key."""


@dataclass(frozen=True)
class AuditKey:
    private: Ed25519PrivateKey
    public: Ed25519PublicKey
    key_id: str
    seal_key: bytes = b""

    @property
    def public_text(self) -> str:
        return public_text(self.public)

    def sign(self, text: str) -> str:
        return base64.b64encode(self.private.sign(text.encode())).decode()

    def seal(self, event_hash: str) -> str:
        return hmac.new(self.seal_key, event_hash.encode(), hashlib.sha256).hexdigest()


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(public: Ed25519PublicKey) -> str:
    return PREFIX + base64.b64encode(_raw(public)).decode()


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint: the first 16 hex digits of SHA-256 over the raw public key."""
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def parse_public(text: str) -> Ed25519PublicKey:
    """`ed25519:<base64 of the 32 raw bytes>` (what `openqms keys show` prints)."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise ValueError(f"not an Ed25519 public key (it must start with {PREFIX!r}): {text!r}")
    try:
        raw = base64.b64decode(text[len(PREFIX) :], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise ValueError(f"not an Ed25519 public key: {text!r}") from None


def _from_private(private: Ed25519PrivateKey) -> AuditKey:
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    seal_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(raw)
    public = private.public_key()
    return AuditKey(private, public, key_id(public), seal_key)


def create_key(path: Path) -> AuditKey:
    """Write a new private key to `path` (mode 0600); refuse if the file exists."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(
            f"{path} already exists: refusing to overwrite an audit key (the checkpoints "
            "it signed and the events it sealed would no longer verify)."
        ) from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    return _from_private(private)


@functools.lru_cache(maxsize=4)
def load(path: str) -> AuditKey:
    """The key in the file at `path` (kept for the life of the process)."""
    data = Path(path).read_bytes()
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyProblem(f"{path} is not an unencrypted PEM private key: {exc}") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyProblem(f"{path} holds a {type(private).__name__}, not an Ed25519 key.")
    return _from_private(private)


def current() -> AuditKey | None:
    """The configured key, or None when its file is missing or unreadable. Only a found
    key is kept: a key made later (`openqms keys init`) is used from the next event on,
    without a restart."""
    path = str(settings.AUDIT_KEY)
    try:
        return load(path)
    except FileNotFoundError:
        return None
    except (OSError, KeyProblem) as exc:
        log.warning("audit key %s cannot be used: %s", path, exc)
        return None


def forget() -> None:
    """Drop the kept keys (tests that switch keys)."""
    load.cache_clear()


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """key id -> public key: this instance's own and those in OPENQMS_TRUSTED_KEYS."""
    found = {key_id(k): k for k in map(parse_public, settings.TRUSTED_KEYS)}
    own = current()
    if own is not None:
        found[own.key_id] = own.public
    return found


def signature_holds(public: Ed25519PublicKey, signature: str, text: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), text.encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
