#!/usr/bin/env python3
"""Check an OpenQMS archive (format openqms-archive/1) with nothing but Python 3.11+.

    python3 VERIFY.py ARCHIVE.zip

Every part against the manifest's SHA-256 and size (nothing missing, nothing extra); the
audit chain recomputed event by event; each signature's manifest hash recomputed and
equal to the one its audit event recorded, and its content hash equal to the SHA-256 of
the signed content; every checkpoint's head hash against the chain; every file's bytes
against its name. Prints each problem and exits 1, or prints "archive intact" and exits
0. Ed25519 needs a crypto library, so neither the checkpoints' signatures nor the
manifest's (manifest.sig) are checked here: it prints the key id manifest.sig names,
to check with `openssl pkeyutl -verify` or `openqms archive verify` (the format and the
openssl commands: docs/archive-format.md).
"""

import hashlib
import io
import json
import sys
import zipfile

CHAIN = "records/core.auditevent.jsonl"
CHECKPOINTS = "records/core.checkpoint.jsonl"
TEXT = ("actor_name", "action", "object_type", "object_id", "changes", "reason", "ip",
        "user_agent", "prev_hash")  # fmt: skip
SIGNED = ("signer", "printed_name", "signed_at", "meaning", "object_type", "object_id",
          "object_version", "content_hash")  # fmt: skip


def sha256(data):
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def rows(z, name):
    with z.open(name) as raw:
        for number, line in enumerate(io.TextIOWrapper(raw, "utf-8", newline="\n"), 1):
            yield number, json.loads(line)


def field(value):
    return f"{len(str(value))}:{value}"


def event_text(e):  # audit.event_text: `<length>:<text>` per field, "~" for no actor
    actor = "~" if e["actor_id"] is None else field(e["actor_id"])
    return field(e["seq"]) + field(e["at"]) + actor + "".join(field(e[k]) for k in TEXT)


def canonical(data):  # audit.canonical_json
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def check(path):
    z, problems = zipfile.ZipFile(path), []
    manifest = json.loads(z.read("manifest.json"))
    parts, head = manifest["parts"], manifest["chain"]
    names = set(z.namelist()) - {"manifest.json", "manifest.sig"}
    problems += [f"{n}: not listed in the manifest" for n in sorted(names - set(parts))]
    problems += [f"{n}: listed in the manifest but missing" for n in sorted(set(parts) - names)]
    for name in sorted(names & set(parts)):
        digest, size = hashlib.sha256(), 0
        with z.open(name) as data:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        if [digest.hexdigest(), size] != [parts[name]["sha256"], parts[name]["size"]]:
            problems.append(f"{name}: SHA-256 or size differs from the manifest")
        if name.startswith("files/sha256/") and digest.hexdigest() != name.rsplit("/", 1)[1]:
            problems.append(f"{name}: its bytes do not match its name")
    sigs = {}  # signature id -> (its audit event, manifest hash, content hash)
    for n, s in rows(z, "records/core.signature.jsonl"):
        signed = {k: s["signer_id" if k == "signer" else k] for k in SIGNED}
        sigs[s["id"]] = (s["audit_event_id"], s["manifest_hash"], s["content_hash"])
        if sha256(canonical(signed)) != s["manifest_hash"]:
            problems.append(f"records/core.signature.jsonl line {n}: manifest hash differs")
    recorded = {event: (sig, manifest) for sig, (event, manifest, _) in sigs.items()}
    heads = (
        {c["seq"]: c["head_hash"] for _, c in rows(z, CHECKPOINTS)} if CHECKPOINTS in parts else {}
    )
    prev, seq = "0" * 64, 0
    for seq, (n, e) in enumerate(rows(z, CHAIN), 1):
        if e["seq"] != seq or e["prev_hash"] != prev or sha256(event_text(e)) != e["hash"]:
            problems.append(f"{CHAIN} line {n}: the chain breaks at event #{e['seq']}")
            break
        prev = e["hash"]
        if heads.get(seq, prev) != prev:
            problems.append(f"{CHECKPOINTS}: the checkpoint at #{seq} names another head hash")
        if e["seq"] in recorded:
            sig, manifest = recorded.pop(e["seq"])
            if json.loads(e["changes"]).get("manifest_hash") != manifest:
                problems.append(f"signature {sig}: not the manifest hash event #{seq} recorded")
    else:
        if [seq, prev] != [head["head_seq"], head["head_hash"]]:
            problems.append(f"{CHAIN}: the chain ends at #{seq}, not at the manifest's head")
    problems += [f"signature {sig}: its audit event is missing" for sig, _ in recorded.values()]
    for n, c in rows(z, "signatures/content.jsonl"):
        if not sha256(c["content"]) == c["content_hash"] == sigs.get(c["signature"], (0,) * 3)[2]:
            problems.append(f"signatures/content.jsonl line {n}: content hash differs")
    return problems


def signer(z):  # the key id manifest.sig names; its signature is not checked here
    sig = z.read("manifest.sig").decode() if "manifest.sig" in z.namelist() else ""
    key = [line[8:] for line in sig.splitlines() if line.startswith("key_id: ")]
    if not key:
        return "manifest NOT signed (no manifest.sig): nothing vouches for the manifest"
    return f"manifest signed by key {key[0]}: NOT checked here (no Ed25519 in Python's stdlib)"


if __name__ == "__main__":
    if len(sys.argv) != 2 or not zipfile.is_zipfile(sys.argv[1]):
        sys.exit("usage: python3 VERIFY.py ARCHIVE.zip  (the archive file itself, not a folder)")
    found, z = check(sys.argv[1]), zipfile.ZipFile(sys.argv[1])
    head = json.loads(z.read("manifest.json"))["chain"]
    print("\n".join(found) or f"archive intact: audit chain to #{head['head_seq']} "
          f"{head['head_hash']}, {len(z.namelist())} members")  # fmt: skip
    print(signer(z))
    sys.exit(1 if found else 0)
