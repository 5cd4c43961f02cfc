"""Signed manifests: an archive's or a backup's manifest, signed with the audit key.

A manifest lists the SHA-256 of every other part, so whoever can rewrite the parts can
rewrite it as well: its hashes alone prove nothing against a forger. Its Ed25519
signature, made at export or backup with the instance's audit key (kept outside the
database), is what someone holding only the database and the files cannot make. The
signature is over the exact bytes of the manifest and sits beside it in `manifest.sig`,
four lines that `openssl pkeyutl -verify` can be fed from (docs/archive-format.md,
"The manifest's signature"):

    openqms-manifest-signature/1
    key_id: <16 hex digits: SHA-256 of the raw public key>
    public_key: ed25519:<base64>
    signature: <base64 of the 64-byte Ed25519 signature>

The public key in the file is a convenience: trust comes only from the keys the checker
was given (this instance's own, OPENQMS_TRUSTED_KEYS, --public-key), found by key id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from openqms.core import keys

NAME = "manifest.sig"
FORMAT = "openqms-manifest-signature/1"

TRUSTED, UNKNOWN, UNSIGNED, BROKEN = "trusted", "unknown", "unsigned", "broken"


def sign(manifest: bytes) -> bytes | None:
    """The signature file's bytes for `manifest`, or None when there is no audit key."""
    key = keys.current()
    if key is None:
        return None
    lines = [
        FORMAT,
        f"key_id: {key.key_id}",
        f"public_key: {key.public_text}",
        f"signature: {key.sign(manifest.decode())}",
    ]
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Check:
    status: str
    key_id: str = ""
    problem: str = ""

    @property
    def trusted(self) -> bool:
        return self.status == TRUSTED

    def sentence(self) -> str:
        if self.status == TRUSTED:
            return f"signed by key {self.key_id}, trusted"
        if self.status == UNKNOWN:
            return (
                f"signed by an unknown key ({self.key_id}): not this instance's, not in "
                "OPENQMS_TRUSTED_KEYS, not given with --public-key"
            )
        if self.status == UNSIGNED:
            return f"not signed (no {NAME}): nothing vouches for its manifest"
        return self.problem


def trusted_keys(public_keys: Iterable[str] = ()) -> dict[str, Ed25519PublicKey]:
    """This instance's key, OPENQMS_TRUSTED_KEYS and `public_keys` (ValueError if one of
    them is not a public key)."""
    given = {keys.key_id(public): public for public in map(keys.parse_public, public_keys)}
    return keys.trusted_keys() | given


def _fields(signature: bytes) -> dict[str, str]:
    lines = signature.decode().splitlines()
    if not lines or lines[0] != FORMAT:
        raise ValueError(f"its first line is not {FORMAT}")
    found = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    if not found.get("key_id") or not found.get("signature"):
        raise ValueError("it has no key_id or no signature")
    return found


def check(manifest: bytes, signature: bytes | None, trusted: dict[str, Ed25519PublicKey]) -> Check:
    """Whether `signature` (the bytes of manifest.sig, None if there is none) signs
    `manifest` under one of the `trusted` keys."""
    if signature is None:
        return Check(UNSIGNED)
    try:
        found = _fields(signature)
        text = manifest.decode()
    except (UnicodeDecodeError, ValueError) as exc:
        return Check(BROKEN, problem=f"{NAME}: unreadable ({exc})")
    key_id = found["key_id"]
    public = trusted.get(key_id)
    if public is None:
        return Check(UNKNOWN, key_id)
    if not keys.signature_holds(public, found["signature"], text):
        return Check(
            BROKEN,
            key_id,
            f"{NAME}: the manifest does not match its signature by key {key_id} (the "
            "manifest was changed after it was signed)",
        )
    return Check(TRUSTED, key_id)
