#!/usr/bin/env python3
"""Benchmark of the integrity commands at a large customer's size, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/integrity.py                     # both engines, full size
    .venv/bin/python benchmarks/integrity.py --small             # 1/100 of it, a quick check
    .venv/bin/python benchmarks/integrity.py --engine sqlite --build-only --keep

For each engine, in a fresh database (and a fresh data directory), a dataset is built
(generated rows, inserted in bulk; timed, not a target):

- `--events` audit events (default 1,000,000) in one valid hash chain;
- `--documents` documents (10,000) with `--revisions` revisions (50,000): every document
  went through draft → submitted → reviewed (signed) → approved (signed) → effective, and
  its earlier revisions were superseded; one in five has its next revision still in draft
  or review; some revisions have an attached file in the file store;
- `--assignments` training assignments (200,000): everyone holding a job role that
  requires the document is assigned each revision when it becomes effective; most sign
  "read and understood" (a signature, meaning trained), some are superseded still open,
  some are open now;
- the people, their permission-role grants (a few revoked), job roles, holdings and
  requirements; the rest of the trail is sign-ins and sign-outs.

Every row carries exactly the audit events the real actions would have written, with the
same `changes` (documents/actions, core/workflow, training/actions): a simulation of
several years of use walks through the same steps in time order, so the dataset passes
the record ↔ trail reconciliation of `openqms verify`. Signatures are valid: their content
hash is `core.signatures.content_hash(obj.signature_content())` of the rows written, their
manifest hash is recomputed and recorded in their signed event.

Then, each command as a subprocess of `.venv/bin/openqms`, timed with its own peak RSS
(GNU time's maximum resident set size of that process), beside a baseline measured in the
same run: see `measure_engine` below and docs/benchmarks.md ("Integrity: verify,
archive, 1M events").
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import heapq
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
OPENQMS = ROOT / ".venv" / "bin" / "openqms"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/openqms_integritybench"
FULL = {"events": 1_000_000, "documents": 10_000, "revisions": 50_000, "assignments": 200_000}
TARGETS = {"verify_s": 30.0, "incremental_s": 1.0, "export_s": 300.0, "import_s": 300.0}
YEARS = 4  # the simulated history: the instance was installed this long ago


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- environment (before Django is imported) -------------------------------------------


def environment(engine: str, data_dir: str, pg_url: str) -> dict[str, str]:
    """The environment of the engine process and of every `openqms` command it runs."""
    env = {
        "OPENQMS_DATA_DIR": data_dir,
        "OPENQMS_SECRET_KEY": "benchmark-only-throwaway-key-" + "0" * 32,
        "DJANGO_SETTINGS_MODULE": "openqms.settings",
        "OPENQMS_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    if engine == "postgres":
        os.environ["OPENQMS_DATABASE_URL"] = env["OPENQMS_DATABASE_URL"] = pg_url
    else:
        os.environ.pop("OPENQMS_DATABASE_URL", None)
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    return env


def _admin_url(pg_url: str) -> tuple[str, str]:
    parsed = urlparse(pg_url)
    name = parsed.path.lstrip("/")
    if not name:
        raise SystemExit(f"--pg-url names no database: {pg_url}")
    return urlunparse(parsed._replace(path="/postgres")), name


def pg_database(pg_url: str, create: bool) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(pg_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)
                )
            )


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


# -- realistic values -------------------------------------------------------------------

FIRST = [
    "Margaret", "Olusegun", "Ingrid", "Rajesh", "Siobhán", "Kenji", "Aleksandra", "Thomas",
    "Fatima", "Guillermo", "Hannah", "Pieter", "Chiara", "Dmitri", "Aoife", "Mohammed",
    "Zoë", "Łukasz", "Beatriz", "Søren", "Amélie", "Nkechi", "Bjørn", "Ewa",
]  # fmt: skip
LAST = [
    "Okonkwo-Smith", "van der Berg", "Lindqvist", "Raghunathan", "Ní Bhriain", "Takahashi",
    "Wiśniewska", "Fairbrother", "Al-Rashid", "Domínguez", "Schäfer", "O'Callaghan",
    "Kowalczyk", "Ødegaard", "Nakamura", "Oyelaran", "Müller-Lüdenscheidt", "Brennan",
]  # fmt: skip
WORDS = [
    "device", "software", "risk", "hazard", "control", "review", "approval", "training",
    "supplier", "audit", "complaint", "vigilance", "design", "verification", "validation",
    "record", "calibration", "release", "labelling", "sterile", "clinical", "evaluation",
    "usability", "cybersecurity", "nonconforming", "product", "batch", "inspection",
]  # fmt: skip
JOB_FUNCTIONS = [
    "Production operator", "Quality engineer", "Software engineer", "Service technician",
    "Warehouse operative", "Regulatory specialist", "Clinical specialist", "Buyer",
    "Test engineer", "Line supervisor", "Calibration technician", "Complaint handler",
]  # fmt: skip
CLAUSES = [
    "4.1", "4.2.3", "4.2.4", "4.2.5", "5.6", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3",
    "7.3.9", "7.4", "7.5.1", "7.5.6", "7.5.8", "7.6", "8.2.1", "8.2.2", "8.2.4", "8.2.6",
    "8.3", "8.4", "8.5.2",
]  # fmt: skip
# (type code, share of the documents)
DOC_TYPES = [("procedure", 40), ("work_instruction", 42), ("form", 12), ("plan", 6)]
CHANGE_REASONS = [
    "Periodic review: procedure brought in line with current practice.",
    "CAPA-2024-031: procedure revised after the internal audit finding.",
    "Change request CR-0457 approved by the change control board.",
    "Supplier change: incoming inspection criteria updated.",
    "New test equipment introduced on line 3.",
    "Correction of a typing error reported by the line supervisor.",
    "Regulatory update: EU MDR Annex I references revised.",
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
]
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
US = dt.timedelta(microseconds=1)
STEP = dt.timedelta(seconds=20)  # between set-up steps


def body_text(rng: random.Random, paragraphs: int = 3) -> str:
    out = []
    for i in range(paragraphs):
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        out.append(f"## {i + 1}. Section\n\n{words.capitalize()}.")
    return "\n\n".join(out)


# -- the records being simulated ------------------------------------------------------


class Person:
    __slots__ = ("created_at", "full_name", "job_role", "pk", "roles", "username")

    def __init__(self, pk: int, username: str, full_name: str) -> None:
        self.pk, self.username, self.full_name = pk, username, full_name
        self.roles: list[str] = []
        self.created_at: dt.datetime | None = None
        self.job_role: int | None = None


class Doc:
    __slots__ = (
        "approver",
        "clauses",
        "created_at",
        "due_days",
        "final_stage",
        "holders",
        "job_role",
        "needs_review",
        "next_review",
        "number",
        "open",
        "owner",
        "pk",
        "planned",
        "review_months",
        "reviewer",
        "revisions",
        "title",
        "type_code",
        "type_pk",
    )  # fmt: skip


class Rev:
    __slots__ = (
        "attachments",
        "became_effective_at",
        "body",
        "change_reason",
        "change_summary",
        "chash",
        "content",
        "created_at",
        "doc",
        "ended_at",
        "label",
        "pk",
        "sequence",
        "state",
    )  # fmt: skip


class Asg:
    __slots__ = (
        "assigned_at",
        "closed_at",
        "closed_reason",
        "completed_at",
        "doc",
        "due_date",
        "method",
        "person",
        "pk",
        "reason",
        "rev",
        "state",
    )  # fmt: skip


# -- the chain writer --------------------------------------------------------------------


class Chain:
    """Appends events with their hashes, exactly as `audit.record` would, in batches.

    `dry`: count only (a first pass learns how many events the domain writes, so the
    sign-ins that fill the trail up to `--events` can be spread evenly)."""

    def __init__(self, head: tuple[int, str, dt.datetime], dry: bool, batch: int = 20_000):
        from openqms.core import keys
        from openqms.core.audit import canonical_json, event_text, format_time

        # Sealed as audit.record seals: an HMAC of the hash under the instance's key.
        self.key = keys.current()

        self.seq, self.prev, self.at = head
        self.dry, self.batch, self.rows = dry, batch, []
        self.canonical, self.text, self.fmt = canonical_json, event_text, format_time
        self.inserted = 0
        self.insert_seconds = 0.0

    def emit(
        self,
        at: dt.datetime,
        actor: Person | None,
        action: str,
        otype: str,
        oid: object,
        changes: dict,
        reason: str = "",
        origin: tuple[str, str] = ("", ""),
    ) -> tuple[int, dt.datetime]:
        """One event at `at` (or just after the previous one); returns (seq, at)."""
        self.seq += 1
        self.at = at if at > self.at else self.at + US
        if self.dry:
            return self.seq, self.at
        actor_id = actor.pk if actor else None
        name = actor.full_name if actor else "system"
        data = self.canonical(changes)
        ip, agent = origin
        fields = (actor_id, name, action, otype, str(oid), data, reason, ip, agent, self.prev)
        text = self.text(self.seq, self.fmt(self.at), *fields)
        digest = hashlib.sha256(text.encode()).hexdigest()
        seal = self.key.seal(digest) if self.key is not None else ""
        self.rows.append((self.seq, self.at, *fields, digest, seal))
        self.prev = digest
        if len(self.rows) >= self.batch:
            self.flush()
        return self.seq, self.at

    def flush(self) -> None:
        from django.db import connection, transaction

        from openqms.core.audit import HASHED_FIELDS

        if not self.rows:
            return
        start = time.perf_counter()
        columns = (*HASHED_FIELDS, "hash", "seal")
        adapt = connection.ops.adapt_datetimefield_value
        rows = [(r[0], adapt(r[1]), *r[2:]) for r in self.rows]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: several times faster than INSERT
                copy_sql = f"COPY core_auditevent ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO core_auditevent ({', '.join(columns)}) VALUES ({marks})", rows
                )
        self.inserted += len(rows)
        self.rows = []
        self.insert_seconds += time.perf_counter() - start


# -- the simulation --------------------------------------------------------------------


class Simulation:
    """Several years of use, step by step in time order, writing what the actions write."""

    def __init__(self, sizes: dict, start: dt.datetime, end: dt.datetime, dry: bool) -> None:
        from django.utils import timezone

        from openqms.core.models import AuditEvent, User
        from openqms.documents.models import DocumentType
        from openqms.training.models import TrainingRule

        self.sizes, self.start, self.end, self.dry = sizes, start, end, dry
        self.rng = random.Random(2026)  # the domain; the filler has its own
        self.fill_rng = random.Random(11)
        self.tz = timezone.get_current_timezone()
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
        self.chain = Chain(head, dry)
        self.types = {
            t.code: t for t in DocumentType.objects.filter(code__in=[c for c, _ in DOC_TYPES])
        }
        self.due_days = {
            r.doc_type_id: r.due_days for r in TrainingRule.objects.all()
        }  # seeded per type
        self.next_user = (
            User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.heap: list = []
        self.tick = 0
        self.people: list[Person] = []
        self.grants: list[tuple] = []  # RoleAssignment rows
        self.job_roles: list[tuple] = []
        self.holdings: list[tuple] = []
        self.requirements: list[tuple] = []
        self.docs: list[Doc] = []
        self.revs: list[Rev] = []
        self.asgs: list[Asg] = []
        self.sigs: list[tuple] = []
        self.files: list[tuple] = []  # (pk, sha256, size, stored_at, bytes-seed)
        self.attachments: list[tuple] = []
        self.domain_events = 0
        self.fill_ratio = 0.0
        self.fillers = 0
        self.ips = [
            f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{n}" for n in range(1, 80)
        ]

    # -- helpers --------------------------------------------------------------------

    def local_date(self, at: dt.datetime) -> dt.date:
        return at.astimezone(self.tz).date()

    def web(self) -> tuple[str, str]:
        return self.rng.choice(self.ips), self.rng.choice(USER_AGENTS)

    def emit(self, *args, **kwargs) -> tuple[int, dt.datetime]:
        self.domain_events += 1
        return self.chain.emit(*args, **kwargs)

    def schedule(self, at: dt.datetime, step, *payload) -> None:
        self.tick += 1
        heapq.heappush(self.heap, (at, self.tick, step, payload))

    def fill_until(self, at: dt.datetime) -> None:
        """Sign-ins and sign-outs owed so far, spread between the last event and `at`."""
        owed = int(self.domain_events * self.fill_ratio) - self.fillers
        if owed <= 0:
            return
        gap = (at - self.chain.at) / (owed + 1)
        for _ in range(owed):
            self._filler(self.chain.at + max(gap, US))

    def _filler(self, at: dt.datetime) -> None:
        rng = self.fill_rng
        person = self.people[rng.randrange(len(self.people))]
        code = rng.choice(
            ("core.auth.signed_in", "core.auth.signed_in", "core.auth.signed_out",
             "core.auth.idle_signed_out")
        )  # fmt: skip
        changes = {"idle_minutes": 30} if code == "core.auth.idle_signed_out" else {}
        origin = (self.ips[rng.randrange(len(self.ips))], USER_AGENTS[rng.randrange(4)])
        self.chain.emit(at, person, code, "core.user", person.pk, changes, "", origin)
        self.fillers += 1

    def sign(
        self, at: dt.datetime, signer: Person, meaning: str, otype: str, oid: int,
        version: str, chash: str, reason: str = "",
    ) -> dt.datetime:  # fmt: skip
        """core.signatures.write_signature: the signature row and its event."""
        from openqms.core.audit import format_time
        from openqms.core.signatures import content_hash

        seq_at = self.chain.at + US if at <= self.chain.at else at
        manifest = ""
        if not self.dry:
            manifest = content_hash(
                {
                    "signer": signer.pk,
                    "printed_name": signer.full_name,
                    "signed_at": format_time(seq_at),
                    "meaning": meaning,
                    "object_type": otype,
                    "object_id": str(oid),
                    "object_version": version,
                    "content_hash": chash,
                }
            )
        seq, at = self.emit(
            seq_at, signer, "core.signature.signed", otype, oid,
            {"meaning": meaning, "version": version, "content_hash": chash,
             "manifest_hash": manifest, "printed_name": signer.full_name},
            reason, self.web(),
        )  # fmt: skip
        assert at == seq_at
        self.sigs.append(
            (len(self.sigs) + 1, signer.pk, signer.full_name, at, meaning, otype, str(oid),
             version, chash, manifest, seq)
        )  # fmt: skip
        return at

    # -- people ------------------------------------------------------------------------

    def new_person(self, username: str) -> Person:
        rng = self.rng
        person = Person(self.next_user, username, f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        self.next_user += 1
        self.people.append(person)
        return person

    def create_user(self, at: dt.datetime, actor: Person | None, person: Person, roles: list[str],
                    reason: str) -> dt.datetime:  # fmt: skip
        """core.actions.users.create_user: the user, then each role granted."""
        person.created_at = at
        origin = self.web() if actor else ("", "")
        _, at = self.emit(
            at, actor, "core.user.created", "core.user", person.pk,
            {"username": [None, person.username], "full_name": [None, person.full_name],
             "email": [None, ""], "must_change_password": [None, actor is not None]},
            reason, origin,
        )  # fmt: skip
        for code in roles:
            at = self.grant(at, actor, person, code, reason, origin)
        return at

    def grant(self, at, actor, person, code, reason, origin) -> dt.datetime:
        _, at = self.emit(
            at, actor, "core.role.granted", "core.user", person.pk,
            {"role": [None, code], "granted_to": person.username,
             "granted_by": actor.username if actor else "system"},
            reason, origin,
        )  # fmt: skip
        person.roles.append(code)
        self.grants.append(
            [person.pk, code, at, actor.pk if actor else None, reason, None, None, ""]
        )
        return at

    def setup_people(self) -> None:
        """The administrator (created at the console), QA, authors, reviewers, approvers,
        the job roles and everyone holding one."""
        s, at = self.sizes, self.start + HOUR
        self.admin = self.new_person("admin")
        at = self.create_user(at, None, self.admin, ["administrator"], "First administrator")
        self.qa = [self.new_person(f"qa.{i}") for i in range(3)]
        for p in self.qa:
            at = self.create_user(at + STEP, self.admin, p, ["qa_lead"], "Quality team")
        count = max(4, s["documents"] // 250)
        self.authors = [self.new_person(f"author.{i:03d}") for i in range(count)]
        self.reviewers = [self.new_person(f"reviewer.{i:03d}") for i in range(max(3, count // 2))]
        self.approvers = [self.new_person(f"approver.{i:03d}") for i in range(max(3, count // 4))]
        for group, role in ((self.authors, "author"), (self.reviewers, "reviewer"),
                            (self.approvers, "approver")):  # fmt: skip
            for p in group:
                at = self.create_user(at + STEP, self.admin, p, [role, "trainee"], "New user")
        # Job roles: one per 25 documents; each document is required by exactly one.
        self.role_count = max(1, round(s["documents"] / 25))
        qa = self.qa[0]
        for i in range(self.role_count):
            name = f"{JOB_FUNCTIONS[i % len(JOB_FUNCTIONS)]} {i // len(JOB_FUNCTIONS) + 1}"
            pk = i + 1
            at += MINUTE
            _, at = self.emit(at, qa, "training.job_role.created", "training.jobrole", pk,
                              {"name": [None, name]}, "", self.web())  # fmt: skip
            self.job_roles.append((pk, name, at))
        self.holders: list[list[Person]] = [[] for _ in range(self.role_count)]
        self.at_setup = at

    def staff_roles(self, effective_per_role: list[int]) -> None:
        """Holders per job role so that the assignments add up to `--assignments`: each
        holder is assigned every revision of the role's documents that becomes effective."""
        per = self.sizes["assignments"] / (sum(effective_per_role) or 1)
        at, cumulative, made = self.at_setup, 0, 0
        qa, n = self.qa[0], 0
        for role_idx, eff in enumerate(effective_per_role):
            cumulative += eff
            count = round((round(per * cumulative) - made) / eff) if eff else 0
            made += count * eff
            pk, name, _ = self.job_roles[role_idx]
            for _ in range(count):
                n += 1
                person = self.new_person(f"p{n:05d}")
                at = self.create_user(at + STEP, self.admin, person, ["trainee"], "New starter")
                started = self.local_date(at)
                _, at = self.emit(
                    at + STEP, qa, "training.job_role.taken", "core.user", person.pk,
                    {"job_role": [None, name], "started_on": started}, "", self.web(),
                )  # fmt: skip
                person.job_role = role_idx
                self.holders[role_idx].append(person)
                self.holdings.append((len(self.holdings) + 1, person.pk, pk, started, qa.pk))
        # A few grants revoked near the end of the history (nothing done with them after).
        self.revoke_at = self.end - 2 * DAY
        self.at_setup = at

    def revoke_some(self) -> None:
        at = self.revoke_at
        for person in self.reviewers[-2:]:
            at += HOUR
            _, at = self.emit(at, self.admin, "core.role.revoked", "core.user", person.pk,
                              {"role": ["reviewer", None]}, "Leaver: access removed on the last "
                              "working day.", self.web())  # fmt: skip
            for g in self.grants:
                if g[0] == person.pk and g[1] == "reviewer" and g[5] is None:
                    g[5], g[6], g[7] = (
                        at,
                        self.admin.pk,
                        "Leaver: access removed on the last working day.",
                    )

    # -- documents ----------------------------------------------------------------------

    def plan_documents(self) -> list[int]:
        """Each document's revisions (how many, the last still open or not), its type, its
        job role; returns how many revisions become effective per job role."""
        s, rng = self.sizes, self.rng
        docs, revs = s["documents"], s["revisions"]
        weights = [w for _, w in DOC_TYPES]
        per_role = [0] * self.role_count
        numbers = {code: t.next_number for code, t in self.types.items()}
        span = self.end - self.start
        for i in range(docs):
            d = Doc()
            d.pk = i + 1
            code = rng.choices([c for c, _ in DOC_TYPES], weights)[0]
            t = self.types[code]
            d.type_code, d.type_pk = code, t.pk
            d.review_months, d.needs_review = t.review_interval_months, t.needs_review
            d.due_days = self.due_days.get(t.pk, 30)
            d.number = t.format_number(numbers[code])
            numbers[code] += 1
            kind = rng.choice(["procedure", "instruction", "checklist", "plan"])
            d.title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {kind}"
            d.owner = rng.choice(self.authors)
            d.reviewer = rng.choice(self.reviewers[:-2] or self.reviewers)
            d.approver = rng.choice(self.approvers)
            d.job_role = i % self.role_count
            d.clauses = sorted(rng.sample(CLAUSES, rng.choice([1, 1, 2])))
            # Revisions: spread `revs` over the documents; one in five has its last open.
            d.planned = revs // docs + (1 if i < revs % docs else 0)
            d.final_stage = rng.choice(["draft", "submitted", "reviewed"]) if i % 5 == 4 else None
            if d.planned < 2 and d.final_stage:
                d.final_stage = None
            effective = d.planned - (1 if d.final_stage else 0)
            per_role[d.job_role] += effective
            d.revisions, d.open, d.next_review = [], [], None
            created = self.start + 2 * DAY + span * 0.45 * rng.random()
            d.created_at = created
            self.docs.append(d)
        self.numbers = numbers
        return per_role

    def start_documents(self) -> None:
        for d in self.docs:
            self.schedule(d.created_at, self.create_document, d)

    def new_revision(self, d: Doc, at: dt.datetime, reason: str) -> Rev:
        r = Rev()
        r.pk = len(self.revs) + 1
        r.doc, r.sequence = d, len(d.revisions) + 1
        r.label = _letters(r.sequence)
        r.body = d.revisions[-1].body if d.revisions else ""
        r.change_summary, r.change_reason = "", reason
        r.state, r.created_at = "draft", at
        r.became_effective_at = r.ended_at = None
        r.attachments, r.chash, r.content = [], "", None
        d.revisions.append(r)
        self.revs.append(r)
        return r

    def create_document(self, at: dt.datetime, d: Doc) -> None:
        """documents.actions.create_document, then QA adds it to its job role."""
        author = d.owner
        origin = self.web()
        _, at = self.emit(
            at, author, "documents.document.created", "documents.document", d.pk,
            {"number": [None, d.number], "title": [None, d.title], "type": [None, d.type_code],
             "owner": [None, author.username], "clauses": [None, d.clauses]}, "", origin,
        )  # fmt: skip
        d.created_at = at
        r = self.new_revision(d, at, "First issue")
        _, at = self.emit(
            at, author, "documents.revision.drafted", "documents.revision", r.pk,
            {"document": d.number, "label": [None, r.label],
             "change_reason": [None, "First issue"]}, "", origin,
        )  # fmt: skip
        r.created_at = at
        role_pk, _, _ = self.job_roles[d.job_role]
        label = f"{d.number} {d.title}"
        _, at = self.emit(
            at + 10 * MINUTE, self.qa[1], "training.requirement.added", "training.jobrole", role_pk,
            {"requirement": [None, label], "kind": "document"}, "", self.web(),
        )  # fmt: skip
        self.requirements.append((len(self.requirements) + 1, role_pk, d.pk, at, self.qa[1].pk))
        self.schedule(at + HOUR * self.rng.uniform(1, 48), self.edit, r)

    def edit(self, at: dt.datetime, r: Rev) -> None:
        """An attached file for some revisions (documents.actions.attach_file), then
        documents.actions.edit_draft."""
        d, rng, author = r.doc, self.rng, r.doc.owner
        origin = self.web()
        if rng.random() < 0.06:
            at = self.attach(at, r, origin)
        new_body = body_text(rng, rng.choice([2, 3, 3, 4]))
        summary = rng.choice(CHANGE_REASONS) if r.sequence > 1 else "First issue."
        changes = {"body": [r.body, new_body], "change_summary": [r.change_summary, summary]}
        r.body, r.change_summary = new_body, summary
        _, at = self.emit(at + MINUTE, author, "documents.revision.edited", "documents.revision",
                          r.pk, changes, "", origin)  # fmt: skip
        last = r.sequence == d.planned
        if last and d.final_stage == "draft":
            return
        self.schedule(at + DAY * rng.uniform(0.2, 4), self.submit, r)

    def attach(self, at: dt.datetime, r: Rev, origin) -> dt.datetime:
        rng = self.rng
        size = int(min(400_000, max(2_000, rng.lognormvariate(9.8, 1.0))))
        seed = rng.getrandbits(64)
        data = file_bytes(seed, size)
        sha = hashlib.sha256(data).hexdigest()
        pk = len(self.files) + 1
        self.files.append((pk, sha, size, at, seed))
        name = (
            rng.choice(["Flowchart", "Inspection form", "Risk table", "Drawing"])
            + f" {r.doc.number}.pdf"
        )
        _, at = self.emit(at, r.doc.owner, "documents.attachment.added", "documents.revision",
                          r.pk, {"attachment": [None, name], "sha256": sha, "size": size}, "",
                          origin)  # fmt: skip
        r.attachments.append((name, sha))
        self.attachments.append((len(self.attachments) + 1, r.pk, pk, name, at, r.doc.owner.pk))
        return at

    def submit(self, at: dt.datetime, r: Rev) -> None:
        d = r.doc
        _, at = self.emit(at, d.owner, "documents.revision.submitted", "documents.revision", r.pk,
                          {"state": ["draft", "in_review"], "step": "submit"}, "",
                          self.web())  # fmt: skip
        r.state = "in_review"
        if r.sequence == d.planned and d.final_stage == "submitted":
            return
        later = at + DAY * self.rng.uniform(0.5, 5)
        if d.needs_review:
            self.schedule(later, self.review, r)
        elif not (r.sequence == d.planned and d.final_stage):
            self.schedule(later, self.approve, r)

    def content_hash(self, r: Rev) -> str:
        """Revision.signature_content() of the revision as written."""
        from openqms.core.signatures import content_hash

        if not r.chash and not self.dry:
            d = r.doc
            r.content = {
                "number": d.number,
                "title": d.title,
                "revision": r.label,
                "body": r.body,
                "change_summary": r.change_summary,
                "change_reason": r.change_reason,
                "effective_date": None,
                "attachments": [{"name": n, "sha256": s} for n, s in sorted(r.attachments)],
            }
            r.chash = content_hash(r.content)
        return r.chash

    def review(self, at: dt.datetime, r: Rev) -> None:
        d = r.doc
        at = self.sign(at, d.reviewer, "reviewed", "documents.revision", r.pk, r.label,
                       self.content_hash(r))  # fmt: skip
        self.emit(at, d.reviewer, "documents.revision.reviewed", "documents.revision", r.pk,
                  {"state": ["in_review", "in_review"], "step": "review"}, "",
                  self.web())  # fmt: skip
        if r.sequence == d.planned and d.final_stage:
            return  # still waiting for its approval
        self.schedule(at + DAY * self.rng.uniform(0.5, 5), self.approve, r)

    def approve(self, at: dt.datetime, r: Rev) -> None:
        """take_step("approve"): signature, approved, then (due at once) make_effective:
        the previous revision superseded, the periodic review scheduled, and training's
        hook: open training on earlier revisions closed, the new revision assigned."""
        from openqms.core.dates import months_later

        d, approver, rng = r.doc, r.doc.approver, self.rng
        origin = self.web()
        at = self.sign(at, approver, "approved", "documents.revision", r.pk, r.label,
                       self.content_hash(r))  # fmt: skip
        _, at = self.emit(at, approver, "documents.revision.approved", "documents.revision", r.pk,
                          {"state": ["in_review", "approved"], "step": "approve"}, "",
                          origin)  # fmt: skip
        previous = d.revisions[-2] if len(d.revisions) > 1 else None
        if previous is not None:
            _, at = self.emit(
                at, approver, "documents.revision.superseded", "documents.revision", previous.pk,
                {"state": ["effective", "superseded"], "step": "supersede",
                 "superseded_by": r.label}, "", origin,
            )  # fmt: skip
            previous.state, previous.ended_at = "superseded", at
        today = self.local_date(at)
        after = months_later(today, d.review_months) if d.review_months else None
        d.next_review = after
        _, at = self.emit(
            at, approver, "documents.revision.effective", "documents.revision", r.pk,
            {"state": ["approved", "effective"], "step": "make_effective",
             "next_review": [None, after]}, "", origin,
        )  # fmt: skip
        r.state, r.became_effective_at = "effective", at
        # training.actions.assignments.assign_for_revision
        reason = f"{d.number} rev {r.label} became effective"
        if d.open:
            names = [f"{a.person.username}: {d.number} rev {a.rev.label}" for a in d.open]
            _, at = self.emit(
                at, approver, "training.assignment.superseded", "documents.revision", r.pk,
                {"state": ["open", "superseded"], "assignments": names}, reason, origin,
            )  # fmt: skip
            for a in d.open:
                a.state, a.closed_at, a.closed_reason = "superseded", at, reason
            d.open = []
        people = self.holders[d.job_role]
        if people:
            due = today + dt.timedelta(days=d.due_days)
            assigned = at + US
            for person in people:  # sorted by username already
                a = Asg()
                a.pk = len(self.asgs) + 1
                a.person, a.doc, a.rev, a.state = person, d, r, "open"
                a.reason, a.assigned_at, a.due_date = reason, assigned, due
                a.completed_at, a.method, a.closed_at, a.closed_reason = None, "", None, ""
                self.asgs.append(a)
                d.open.append(a)
                if rng.random() < 0.9:
                    self.schedule(at + DAY * rng.expovariate(1 / 6), self.complete, a)
            _, at = self.emit(
                assigned, approver, "training.assignment.created", "documents.revision", r.pk,
                {"document": d.number, "revision": r.label, "due_date": due,
                 "people": [p.username for p in people]}, reason, origin,
            )  # fmt: skip
        if r.sequence < d.planned:
            remaining = d.planned - r.sequence
            gap = (self.end - at) / (remaining + 0.6) * rng.uniform(0.5, 1.0)
            self.schedule(at + gap, self.start_revision, d)

    def complete(self, at: dt.datetime, a: Asg) -> None:
        """training.actions.completion.sign_trained: “read and understood”, signed."""
        if a.state != "open":
            return  # superseded before the trainee got to it
        d, r, person = a.doc, a.rev, a.person
        chash = ""
        if not self.dry:
            from openqms.core.signatures import content_hash

            self.content_hash(r)
            chash = content_hash(
                {"person": person.username, "document": d.number, "title": d.title,
                 "revision": r.label, "revision_content": r.content}
            )  # fmt: skip
        origin = self.web()
        at = self.sign(at, person, "trained", "training.assignment", a.pk, r.label, chash)
        _, at = self.emit(
            at, person, "training.assignment.completed", "training.assignment", a.pk,
            {"state": ["open", "completed"], "step": "sign", "method": ["", "signature"],
             "person": person.username, "document": d.number, "revision": r.label},
            "", origin,
        )  # fmt: skip
        a.state, a.completed_at, a.method = "completed", at, "signature"
        d.open.remove(a)

    def start_revision(self, at: dt.datetime, d: Doc) -> None:
        """documents.actions.start_revision: the next draft from the effective content."""
        reason = self.rng.choice(CHANGE_REASONS)
        r = self.new_revision(d, at, reason)
        _, at = self.emit(
            at, d.owner, "documents.revision.drafted", "documents.revision", r.pk,
            {"document": d.number, "label": [None, r.label], "change_reason": [None, reason]},
            "", self.web(),
        )  # fmt: skip
        r.created_at = at
        self.schedule(at + HOUR * self.rng.uniform(1, 72), self.edit, r)

    # -- the run ------------------------------------------------------------------------

    def prepare(self) -> None:
        """The people, the job roles and who holds them, and the documents' plans."""
        self.setup_people()
        self.staff_roles(self.plan_documents())
        self.start_documents()

    def simulate(self, fill_ratio: float) -> None:
        self.fill_ratio = fill_ratio
        revoked = False
        while self.heap:
            at, _, step, payload = heapq.heappop(self.heap)
            if at >= self.end:
                break  # what would happen after today has not happened
            if not revoked and at >= self.revoke_at:
                self.fill_until(self.revoke_at)
                self.revoke_some()
                revoked = True
            self.fill_until(at)
            step(at, *payload)
        if not revoked:
            self.revoke_some()
        self.fill_until(self.end)

    def finish_fill(self, target: int) -> None:
        """Top the trail up to `target` events with sign-ins and sign-outs before the end."""
        owed = target - self.chain.seq
        if owed <= 0:
            return
        gap = max((self.end - self.chain.at) / (owed + 1), US)
        for _ in range(owed):
            self._filler(self.chain.at + gap)


def _letters(sequence: int) -> str:
    label = ""
    while sequence > 0:
        sequence, rest = divmod(sequence - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def file_bytes(seed: int, size: int) -> bytes:
    """A stored file's bytes: a PDF-like header, then deterministic pseudo-random bytes."""
    head = b"%PDF-1.7\n% OpenQMS benchmark attachment\n"
    return head + random.Random(seed).randbytes(max(0, size - len(head)))


# -- writing the rows -------------------------------------------------------------------


def write_rows(sim: Simulation, data_dir: Path) -> None:
    """Every record the simulation left, inserted in bulk with explicit keys."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from openqms.core.models import Role, RoleAssignment, Signature, StoredFile, User
    from openqms.documents.models import Attachment, Document, DocumentType, Revision
    from openqms.training.models import Assignment, Holding, JobRole, Requirement

    B = 5000
    roles = dict(Role.objects.values_list("code", "pk"))
    with transaction.atomic():
        JobRole.objects.bulk_create(
            [JobRole(pk=pk, name=name, created_at=at) for pk, name, at in sim.job_roles],
            batch_size=B,
        )
        Holding.objects.bulk_create(
            [
                Holding(pk=pk, person_id=p, job_role_id=j, started_on=on, started_by_id=by)
                for pk, p, j, on, by in sim.holdings
            ],
            batch_size=B,
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user_id=u,
                    role_id=roles[code],
                    granted_at=at,
                    granted_by_id=by,
                    grant_reason=why,
                    revoked_at=rat,
                    revoked_by_id=rby,
                    revoke_reason=rwhy,
                )
                for u, code, at, by, why, rat, rby, rwhy in sim.grants
            ],
            batch_size=B,
        )
        for code, number in sim.numbers.items():
            DocumentType.objects.filter(code=code).update(next_number=number)
        Document.objects.bulk_create(
            [
                Document(
                    pk=d.pk,
                    number=d.number,
                    title=d.title,
                    doc_type_id=d.type_pk,
                    owner_id=d.owner.pk,
                    clauses=d.clauses,
                    created_at=d.created_at,
                    next_review=d.next_review,
                    in_force=any(r.state == "effective" for r in d.revisions),
                )
                for d in sim.docs
                if d.revisions
            ],
            batch_size=B,
        )
        Requirement.objects.bulk_create(
            [
                Requirement(
                    pk=pk,
                    job_role_id=j,
                    kind="document",
                    document_id=doc,
                    added_at=at,
                    added_by_id=by,
                )
                for pk, j, doc, at, by in sim.requirements
            ],
            batch_size=B,
        )
        Revision.objects.bulk_create(
            [
                Revision(
                    pk=r.pk,
                    document_id=r.doc.pk,
                    sequence=r.sequence,
                    label=r.label,
                    state=r.state,
                    body=r.body,
                    change_summary=r.change_summary,
                    change_reason=r.change_reason,
                    author_id=r.doc.owner.pk,
                    created_at=r.created_at,
                    became_effective_at=r.became_effective_at,
                    ended_at=r.ended_at,
                )
                for r in sim.revs
            ],
            batch_size=B,
        )
        StoredFile.objects.bulk_create(
            [
                StoredFile(pk=pk, sha256=sha, size=size, stored_at=at)
                for pk, sha, size, at, _ in sim.files
            ],
            batch_size=B,
        )
        Attachment.objects.bulk_create(
            [
                Attachment(
                    pk=pk,
                    revision_id=r,
                    stored_file_id=f,
                    name=n,
                    attached_at=at,
                    attached_by_id=by,
                )
                for pk, r, f, n, at, by in sim.attachments
            ],
            batch_size=B,
        )
    for first in range(0, len(sim.sigs), 50_000):
        with transaction.atomic():
            Signature.objects.bulk_create(
                [
                    Signature(
                        pk=pk,
                        signer_id=s,
                        printed_name=n,
                        signed_at=at,
                        meaning=m,
                        object_type=ot,
                        object_id=oid,
                        object_version=v,
                        content_hash=ch,
                        manifest_hash=mh,
                        audit_event_id=seq,
                    )
                    for pk, s, n, at, m, ot, oid, v, ch, mh, seq in sim.sigs[first : first + 50_000]
                ],
                batch_size=B,
            )
    for first in range(0, len(sim.asgs), 50_000):
        with transaction.atomic():
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        pk=a.pk,
                        person_id=a.person.pk,
                        document_id=a.doc.pk,
                        revision_id=a.rev.pk,
                        state=a.state,
                        reason=a.reason,
                        assigned_at=a.assigned_at,
                        due_date=a.due_date,
                        completed_at=a.completed_at,
                        method=a.method,
                        closed_at=a.closed_at,
                        closed_reason=a.closed_reason,
                    )
                    for a in sim.asgs[first : first + 50_000]
                ],
                batch_size=B,
            )
    store = data_dir / "files"
    for _, sha, size, _, seed in sim.files:
        path = store / "sha256" / sha[:2] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file_bytes(seed, size))
    models = [User, RoleAssignment, Signature, StoredFile, Document, Revision, Attachment,
              JobRole, Holding, Requirement, Assignment]  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load


def write_users(sim: Simulation) -> None:
    from django.contrib.auth.hashers import make_password

    from openqms.core.models import User

    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                pk=p.pk,
                username=p.username,
                full_name=p.full_name,
                email="",
                password=unusable,
                date_joined=p.created_at,
            )
            for p in sim.people
        ],
        batch_size=5000,
    )


def build(sizes: dict, data_dir: Path) -> dict:
    """Migrate as of YEARS ago, then simulate and insert. Returns counts and timings."""
    from unittest import mock

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from openqms.core import keys

    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=365 * YEARS)
    end = now - HOUR
    started = time.perf_counter()
    # The instance was installed YEARS ago: its migration event opens the chain then, and
    # the history follows in time order up to an hour ago.
    with mock.patch("django.utils.timezone.now", return_value=start):
        call_command("migrate", verbosity=0, interactive=False)
    # The instance's audit key (`openqms keys init`), made once installed: every event
    # after the migration's is sealed with it, as audit.record seals.
    keys.create_key(Path(settings.AUDIT_KEY))
    migrated = time.perf_counter() - started

    dry = Simulation(sizes, start, end, dry=True)
    dry.prepare()
    dry.simulate(0.0)
    domain = dry.domain_events
    filler = max(0, sizes["events"] - dry.chain.seq)
    ratio = filler / max(domain, 1)
    planned = time.perf_counter() - started - migrated
    log(f"plan: {domain:,} domain events, {filler:,} sign-ins/outs (dry run {planned:.0f} s)")

    sim = Simulation(sizes, start, end, dry=False)
    sim.prepare()
    write_users(sim)  # first: every event names its actor (a foreign key)
    sim.simulate(ratio)
    sim.finish_fill(sizes["events"])
    sim.chain.flush()
    events_done = time.perf_counter()
    write_rows(sim, data_dir)
    seconds = time.perf_counter() - started
    counts = {
        "events": sim.chain.seq,
        "documents": len(sim.docs),
        "revisions": len(sim.revs),
        "assignments": len(sim.asgs),
        "signatures": len(sim.sigs),
        "files": len(sim.files),
        "people": len(sim.people),
        "states": _states(sim),
    }
    log(
        f"built {counts['events']:,} events, {counts['documents']:,} documents, "
        f"{counts['revisions']:,} revisions, {counts['assignments']:,} assignments, "
        f"{counts['signatures']:,} signatures, {counts['files']:,} files in {seconds:.0f} s "
        f"(events {events_done - started:.0f} s)"
    )
    return {"counts": counts, "build_s": seconds, "plan_s": planned}


def _states(sim: Simulation) -> dict:
    out: dict = {"revisions": {}, "assignments": {}}
    for r in sim.revs:
        out["revisions"][r.state] = out["revisions"].get(r.state, 0) + 1
    for a in sim.asgs:
        out["assignments"][a.state] = out["assignments"].get(a.state, 0) + 1
    return out


# -- checks of the built data (not timed): the app's own checks on it ------------------


def self_check(sample: int = 300) -> dict:
    """The chain verifies, and a sample of signatures checks valid through
    core.signatures.check (content and manifest recomputed, the event's record)."""
    from openqms.core.chain import verify_chain
    from openqms.core.models import Signature
    from openqms.core.signatures import check
    from openqms.documents.models import Revision
    from openqms.training.models import Assignment

    start = time.perf_counter()
    chain = verify_chain()
    chain_ok = getattr(chain, "ok", chain)
    rng = random.Random(5)
    ids = list(Signature.objects.values_list("pk", flat=True))
    bad = []
    for sig in Signature.objects.filter(
        pk__in=rng.sample(ids, min(sample, len(ids)))
    ).select_related("audit_event"):
        model = Revision if sig.object_type == "documents.revision" else Assignment
        m = check(sig, model.objects.get(pk=int(sig.object_id)))
        if not m.valid:
            bad.append(f"signature {sig.pk}: {m.problem}")
    return {"chain": str(chain_ok), "signatures_checked": min(sample, len(ids)), "bad": bad[:10],
            "seconds": time.perf_counter() - start}  # fmt: skip


# -- one engine (a subprocess of the parent) --------------------------------------------


def run_engine(args) -> dict:
    """Each scale in a fresh database and data directory: build, self-check, measure."""
    result: dict = {"engine": args.engine, "runs": []}
    for scale in args.scales:
        sizes = {k: max(1, int(getattr(args, k) * scale)) for k in FULL}
        incremental = max(1, int(args.incremental * scale))
        result["runs"].append(run_scale(args, scale, sizes, incremental))
        result["database"] = result["runs"][-1]["database"]
    return result


def run_scale(args, scale: float, sizes: dict, incremental: int) -> dict:
    if args.reuse:  # a kept dataset (--keep): trials of the commands, not a result
        data_dir = Path(args.reuse)
    else:
        data_dir = Path(tempfile.mkdtemp(prefix=f"openqms-integrity-{args.engine}-"))
        if args.engine == "postgres":
            pg_database(args.pg_url, create=True)
    env = environment(args.engine, str(data_dir), args.pg_url)
    import django

    django.setup()
    from django.db import connections

    result: dict = {"scale": scale, "database": database_version(), "sizes": sizes}
    try:
        log(f"{args.engine} x{scale:g}: {result['database']}, data in {data_dir}, {sizes}")
        if not args.reuse:
            result["build"] = build(sizes, data_dir)
            result["self_check"] = self_check()
            log(f"{args.engine}: self-check {result['self_check']}")
        connections.close_all()
        if not args.build_only:
            args.incremental_now, args.sizes_now = incremental, sizes
            result["measured"] = measure_engine(args, env, data_dir)
        return result
    finally:
        connections.close_all()
        if args.keep or args.reuse:
            log(f"kept {data_dir}" + (f" and {args.pg_url}" if args.engine == "postgres" else ""))
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if args.engine == "postgres":
                pg_database(args.pg_url, create=False)


# -- measuring the commands (each in its own process) --------------------------------


def run_command(argv: list[str], env: dict, label: str, timeout: int = 3600) -> dict:
    """Run one command under GNU time: wall seconds, its own peak RSS, exit code, output.

    The peak is the command process's maximum resident set size (wait4's ru_maxrss, as
    GNU time reports it), not this process's."""
    with tempfile.NamedTemporaryFile(suffix=".time", delete=False) as out:
        timing = out.name
    full_env = {**os.environ, **env}
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-o", timing, "-f", "%e %M", *argv],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - start
    parts = Path(timing).read_text().strip().splitlines()[-1].split()
    Path(timing).unlink(missing_ok=True)
    output = (proc.stdout + proc.stderr).strip().splitlines()
    result = {
        "label": label,
        "command": " ".join(Path(a).name if a == str(OPENQMS) else a for a in argv),
        "seconds": seconds,
        "peak_rss_mib": int(parts[-1]) / 1024,
        "rc": proc.returncode,
        "tail": output[-40:],
        "load": os.getloadavg()[0],  # the machine is shared: how busy it was
    }
    log(
        f"  {label}: {seconds:.2f} s, peak RSS {result['peak_rss_mib']:.0f} MiB, rc "
        f"{proc.returncode}: {' | '.join(output[-2:])[:300]}"
    )
    return result


def has_command(env: dict, *words: str) -> bool:
    """Whether this tree's `openqms` knows the (sub)command: its --help succeeds."""
    proc = subprocess.run(
        [str(OPENQMS), *words, "--help"], env={**os.environ, **env}, capture_output=True
    )
    return proc.returncode == 0


def helper(args, env: dict, role: str, *extra: str) -> dict:
    """This script again as `--role ROLE` in the engine's environment (Django set up
    there): the baselines and the real-path appends. Answers its JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    cmd = [sys.executable, __file__, "--role", role, "--out", path, "--engine", args.engine]
    subprocess.run([*cmd, *extra], env={**os.environ, **env}, check=True)
    try:
        return json.loads(Path(path).read_text())
    finally:
        Path(path).unlink(missing_ok=True)


def measure_engine(args, env: dict, data_dir: Path) -> dict:
    """Every integrity command on the built data, each beside its baseline."""
    q = str(OPENQMS)
    out: dict = {"missing": []}

    def command(label: str, words: list[str], *rest: str, where: dict = env) -> dict | None:
        if not has_command(where, *words):
            out["missing"].append(" ".join(words))
            log(f"  {label}: `openqms {' '.join(words)}` does not exist on this tree")
            return None
        out[label] = run_command([q, *words, *rest], where, label)
        return out[label]

    log(f"{args.engine}: baseline: raw read of the rows, SHA-256 of the same bytes, files")
    out["baseline"] = b = helper(args, env, "baseline")
    log(
        f"  baseline: read {b['rows']:,} rows {b['read_s']:.2f} s, SHA-256 of "
        f"{b['events']:,} events ({b['event_bytes'] / 2**20:.0f} MiB) {b['sha256_s']:.2f} s, "
        f"files {b['files_bytes'] / 2**20:.0f} MiB read+hashed {b['files_s']:.2f} s"
    )
    # What any `openqms` command costs before it does anything: Python, Django, the apps.
    out["startup"] = run_command([q, "shell", "-c", "pass"], env, "startup")
    command("audit_verify", ["audit", "verify"])
    command("files_verify", ["files", "verify"])
    key_file = Path(env.get("OPENQMS_AUDIT_KEY") or data_dir / "keys" / "audit-ed25519.pem")
    if not key_file.exists() and has_command(env, "keys", "init"):
        command("keys_init", ["keys", "init"])
    command("verify", ["verify"])
    if command("checkpoint", ["audit", "checkpoint"]) is not None:
        out["append"] = helper(args, env, "append", "--count", str(args.incremental_now))
        log(f"  appended {args.incremental_now:,} events through audit.record: {out['append']}")
        out["baseline_incremental"] = helper(
            args, env, "baseline", "--since", str(out["append"]["first_seq"])
        )
        command("verify_incremental", ["verify"], "--since-checkpoint")
        command("audit_verify_incremental", ["audit", "verify"], "--since-checkpoint")
    # `archive export` renders a PDF of every revision and every person's training
    # record; at full size that alone takes hours here. So the real command runs where
    # its PDFs are few (--pdf-export-max revisions); at every size the same export runs
    # with the renderings left out (records, chain, signed contents, files: everything
    # else, timed the same way), and the PDF rate is measured on a sample.
    if args.sizes_now["revisions"] > args.archive_max:
        out["missing"].append("archive export, verify and import at this size (--archive-max)")
        return out
    real = args.sizes_now["revisions"] <= args.pdf_export_max
    archive = data_dir.parent / f"{data_dir.name}-archive.zip"
    lean = data_dir.parent / f"{data_dir.name}-archive-nopdf.zip"
    if real:
        command("export", ["archive", "export"], str(archive), "--quiet")
    else:
        out["missing"].append("archive export with PDFs at this size (see export_nopdf + pdf)")
    if has_command(env, "archive", "export"):
        out["export_nopdf"] = run_command(
            [sys.executable, __file__, "--role", "export_nopdf", "--file", str(lean)],
            env,
            "export_nopdf",
        )
        out["pdf"] = helper(args, env, "pdf_rate")
        log(f"  PDF renderings: {out['pdf']}")
    made = archive if archive.exists() else lean
    if made.exists():
        out["archive"] = "with PDFs" if made == archive else "without PDFs"
        out["archive_bytes"] = _size(made)
        out["baseline_copy"] = copy_baseline(made)
        # Offline: no database at all (an empty data directory, no database URL).
        offline = {
            "OPENQMS_DATA_DIR": tempfile.mkdtemp(prefix="openqms-offline-"),
            "OPENQMS_SECRET_KEY": env["OPENQMS_SECRET_KEY"],
            "DJANGO_SETTINGS_MODULE": "openqms.settings",
            "OPENQMS_DATABASE_URL": "",
        }
        command("archive_verify", ["archive", "verify"], str(made), where=offline)
        shutil.rmtree(offline["OPENQMS_DATA_DIR"], ignore_errors=True)
        reference = ROOT / "src" / "openqms" / "core" / "archive" / "reference.py"
        if reference.exists():
            out["reference_verify"] = run_command(
                [sys.executable, str(reference), str(made)], offline, "reference_verify"
            )
        import_into_empty(args, env, data_dir, made, command)
        if not args.keep:
            for f in (archive, lean):
                f.unlink(missing_ok=True)
    return out


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def copy_baseline(archive: Path) -> dict:
    """A plain copy of the archive (the same bytes to read and write), and SHA-256 over
    it: what writing and checking that many bytes costs with no database."""
    target = archive.parent / (archive.name + ".copy")
    start = time.perf_counter()
    if archive.is_dir():
        shutil.copytree(archive, target)
    else:
        shutil.copyfile(archive, target)
    os.sync()
    copy_s = time.perf_counter() - start
    start = time.perf_counter()
    digest = hashlib.sha256()
    for f in sorted(archive.rglob("*")) if archive.is_dir() else [archive]:
        if f.is_file():
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
    sha_s = time.perf_counter() - start
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    return {"copy_s": copy_s, "sha256_s": sha_s}


def import_into_empty(args, env: dict, source: Path, archive: Path, command) -> None:
    """`archive import` into a fresh, migrated, empty instance; then its verify, with the
    audit key and the checkpoint log carried over (they live outside the database)."""
    target_dir = Path(tempfile.mkdtemp(prefix=f"openqms-import-{args.engine}-"))
    target = {**env, "OPENQMS_DATA_DIR": str(target_dir)}
    if args.engine == "postgres":
        url = args.pg_url + "_import"
        pg_database(url, create=True)
        target["OPENQMS_DATABASE_URL"] = url
    try:
        # The key and the log first: the import's own event is then sealed like any other.
        if (source / "keys").exists():
            shutil.copytree(source / "keys", target_dir / "keys", dirs_exist_ok=True)
        if (source / "checkpoints.log").exists():
            shutil.copy2(source / "checkpoints.log", target_dir / "checkpoints.log")
        run_command([str(OPENQMS), "migrate"], target, "import target: migrate")
        command("import", ["archive", "import"], str(archive), where=target)
        command("verify_imported", ["verify"], where=target)
        command("audit_verify_imported", ["audit", "verify"], where=target)
    finally:
        if not args.keep:
            shutil.rmtree(target_dir, ignore_errors=True)
            if args.engine == "postgres":
                pg_database(args.pg_url + "_import", create=False)


# -- the helpers' roles (in the engine's environment) --------------------------------


def baseline(since: int = 0) -> dict:
    """Raw read of the rows the checks read (no logic), raw SHA-256 over each event's
    canonical bytes and each signature's manifest (already in memory), and every stored
    file read and hashed."""
    from django.conf import settings
    from django.db import connection

    from openqms.core.audit import event_text

    tables = [
        "core_auditevent", "core_signature", "documents_revision", "documents_document",
        "training_assignment", "core_roleassignment", "core_storedfile", "documents_attachment",
        "training_holding", "training_requirement", "core_user",
    ]  # fmt: skip
    where = f" WHERE seq > {int(since)}" if since else ""
    rows_read, start = 0, time.perf_counter()
    texts: list[bytes] = []
    with connection.cursor() as cursor:
        for table in tables if not since else ["core_auditevent"]:
            cursor.execute(f"SELECT * FROM {table}" + (where if table == "core_auditevent" else ""))
            while batch := cursor.fetchmany(5000):
                rows_read += len(batch)
    read_s = time.perf_counter() - start
    # The same events' canonical bytes, built untimed; then only SHA-256 over them.
    from openqms.core.audit import HASHED_FIELDS, format_time
    from openqms.core.models import AuditEvent

    qs = AuditEvent.objects.filter(seq__gt=since).order_by("seq").values_list(*HASHED_FIELDS)
    for row in qs.iterator(chunk_size=5000):
        texts.append(event_text(row[0], format_time(row[1]), *row[2:]).encode())
    start = time.perf_counter()
    for data in texts:
        hashlib.sha256(data).hexdigest()
    sha_s = time.perf_counter() - start
    nbytes = sum(map(len, texts))
    files_s, file_bytes_read = 0.0, 0
    if not since:
        start = time.perf_counter()
        for f in (Path(settings.DATA_DIR) / "files").rglob("*"):
            if f.is_file():
                digest = hashlib.sha256()
                with f.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
                        file_bytes_read += len(chunk)
        files_s = time.perf_counter() - start
    return {
        "rows": rows_read,
        "read_s": read_s,
        "events": len(texts),
        "event_bytes": nbytes,
        "sha256_s": sha_s,
        "files_bytes": file_bytes_read,
        "files_s": files_s,
    }


def export_nopdf(path: Path) -> None:
    """`openqms archive export` exactly, with the PDF renderings left out."""
    from django.core.management import call_command

    from openqms.core.archive import export

    export._renderings = lambda writer, progress: 0
    call_command("archive", "export", str(path), "--quiet")


def pdf_rate(sample: int = 60) -> dict:
    """Seconds per PDF rendering (revisions and training records), on a sample."""
    from openqms.core import modules

    rng = random.Random(3)
    out: dict = {}
    for module in modules.installed():
        if module.renderings is None:
            continue
        makers = list(module.renderings())
        chosen = rng.sample(makers, min(sample, len(makers)))
        start = time.perf_counter()
        nbytes = sum(len(make()) for _, make in chosen)
        seconds = time.perf_counter() - start
        out[module.label] = {
            "count": len(makers),
            "sampled": len(chosen),
            "per_pdf_s": seconds / max(len(chosen), 1),
            "bytes_per_pdf": nbytes / max(len(chosen), 1),
        }
    return out


def append_events(count: int) -> dict:
    """`count` events through the real path, one durable transaction each: sign-ins of
    the people in the dataset (audit.writing + audit.record, as actions.auth does)."""
    from openqms.core import audit
    from openqms.core.models import AuditEvent, User

    people = list(User.objects.filter(username__startswith="p").order_by("pk")[:500])
    first = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    token = audit.set_origin(audit.Origin(ip="192.168.14.27", user_agent=USER_AGENTS[0]))
    start = time.perf_counter()
    try:
        for i in range(count):
            person = people[i % len(people)]
            with audit.writing():
                audit.record(actor=person, action="core.auth.signed_in", obj=person, changes={})
    finally:
        audit.reset_origin(token)
    return {"count": count, "seconds": time.perf_counter() - start, "first_seq": first}


def machine() -> dict:
    import django

    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "django": django.__version__,
        "load": os.getloadavg()[0],
    }


def parse_args(argv: list[str] | None = None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    for name, default in FULL.items():
        p.add_argument(f"--{name}", type=int, default=default)
    p.add_argument("--small", action="store_true", help="1/100 of every size: a quick check")
    p.add_argument("--build-only", action="store_true", help="build and self-check, no commands")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("OPENQMS_BENCH_DATABASE_URL", DEFAULT_PG_URL),
        help="PostgreSQL database to create (dropped first if it exists) and drop after",
    )
    p.add_argument("--keep", action="store_true", help="keep the data directory and database")
    p.add_argument("--json", help="also write the results to this file")
    p.add_argument("--reuse", help="measure a kept data directory (and --pg-url) again")
    p.add_argument(
        "--incremental", type=int, default=10_000, help="events appended after the checkpoint"
    )
    p.add_argument(
        "--scales",
        default="0.01,0.1,1",
        help="fractions of the sizes to run, each in a fresh database (memory flat: compare)",
    )
    p.add_argument("--role", default="parent", help=argparse.SUPPRESS)
    p.add_argument("--since", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    p.add_argument(
        "--archive-max",
        type=int,
        default=10**9,
        help="run the archive commands up to this many revisions (time-boxed runs)",
    )
    p.add_argument(
        "--pdf-export-max",
        type=int,
        default=1000,
        help="run the real `archive export` (with its PDFs) up to this many revisions",
    )
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.small:
        for name in [*FULL, "incremental"]:
            setattr(args, name, max(1, getattr(args, name) // 100))
    args.scales = [float(x) for x in str(args.scales).split(",") if x.strip()]
    return args


def child(args, engine: str, scale: float) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    cmd = [sys.executable, __file__, "--role", "engine", "--out", path, "--engine", engine,
           "--pg-url", args.pg_url]  # fmt: skip
    for name in FULL:
        cmd += [f"--{name}", str(getattr(args, name))]
    cmd += ["--incremental", str(args.incremental), "--scales", str(scale)]
    cmd += ["--pdf-export-max", str(args.pdf_export_max), "--archive-max", str(args.archive_max)]
    cmd += ["--keep"] if args.keep else []
    cmd += ["--reuse", args.reuse] if args.reuse else []
    cmd += ["--build-only"] if args.build_only else []
    try:
        subprocess.run(cmd, check=True)
        return json.loads(Path(path).read_text())
    finally:
        Path(path).unlink(missing_ok=True)


def _row(step: str, m: dict | None, target: str, baseline: str) -> str:
    if m is None:
        return f"| {step} | not measured (command missing) | | {target} | {baseline} |"
    rc = "" if m["rc"] == 0 else f" (exit {m['rc']})"
    return f"| {step} | {m['seconds']:.2f}{rc} | {m['peak_rss_mib']:.0f} | {target} | {baseline} |"


def report(info: dict, results: list[dict]) -> None:
    print(
        f"\nIntegrity benchmark, {info['date']}: {info['cpus']} CPUs, {info['ram_gib']} GiB, "
        f"Python {info['python']}, Django {info['django']}, load {info['load']:.1f}"
    )
    for r in results:
        for run in r["runs"]:
            c, m = run.get("build", {}).get("counts", run["sizes"]), run.get("measured", {})
            built = run.get("build", {}).get("build_s", 0)
            print(
                f"\n{r['engine']} ({run['database']}), x{run['scale']:g}: {c['events']:,} events, "
                f"{c['documents']:,} documents, {c['revisions']:,} revisions, "
                f"{c['assignments']:,} assignments, {c.get('signatures', 0):,} signatures, "
                f"{c.get('files', 0):,} files; built in {built:.0f} s"
            )
            if not m:
                continue
            b, bi = m["baseline"], m.get("baseline_incremental")
            startup = m["startup"]["seconds"]
            size = m.get("archive_bytes", 0)
            copy = m.get("baseline_copy", {})
            full_base = (
                f"raw read {b['rows']:,} rows {b['read_s']:.2f} s + SHA-256 of the events "
                f"{b['sha256_s']:.2f} s + files read and hashed {b['files_s']:.2f} s"
            )
            inc_base = (
                f"raw read + SHA-256 of {bi['events']:,} events "
                f"{bi['read_s'] + bi['sha256_s']:.3f} s"
                if bi
                else ""
            )
            inc_base += f"; CLI start-up alone {startup:.2f} s"
            copy_base = (
                f"archive {size / 2**20:.0f} MiB; file copy {copy.get('copy_s', 0):.2f} s"
                if size
                else ""
            )
            print("| step | seconds | peak RSS MiB | target | baseline (same run) |")
            print("|---|---:|---:|---|---|")
            rows = [
                ("`openqms verify` (full)", m.get("verify"), "< 30 s", full_base),
                ("`openqms audit verify` (chain)", m.get("audit_verify"), "", ""),
                ("`openqms files verify`", m.get("files_verify"), "", ""),
                ("`openqms audit checkpoint`", m.get("checkpoint"), "", ""),
                ("`openqms verify --since-checkpoint`", m.get("verify_incremental"), "< 1 s",
                 inc_base),
                ("`openqms audit verify --since-checkpoint`", m.get("audit_verify_incremental"),
                 "", ""),
                ("`openqms archive export`", m.get("export"), "< 300 s", copy_base),
                ("`archive export` without the PDF renderings", m.get("export_nopdf"), "< 300 s",
                 copy_base if m.get("archive") == "without PDFs" else ""),
                ("`openqms archive verify` (no database)", m.get("archive_verify"), "",
                 f"SHA-256 over the archive {copy.get('sha256_s', 0):.2f} s" if size else ""),
                ("`openqms archive import` (empty instance)", m.get("import"), "< 300 s",
                 f"file copy {copy.get('copy_s', 0):.2f} s" if size else ""),
                ("`openqms verify` of the imported instance", m.get("verify_imported"), "", ""),
            ]  # fmt: skip
            for step, measured, target, base in rows:
                if measured is None and step.startswith(
                    ("`openqms audit checkpoint", "`openqms files")
                ):
                    continue
                if measured is None and step == "`openqms archive export`" and m.get("pdf"):
                    print(f"| {step} | not run at this size: its PDFs, see below | | {target} | |")
                    continue
                print(_row(step, measured, target, base))
            for label, rate in m.get("pdf", {}).items():
                print(
                    f"  PDF renderings ({label}): {rate['count']:,} to write, "
                    f"{rate['per_pdf_s']:.3f} s each on a sample of {rate['sampled']} "
                    f"({rate['bytes_per_pdf'] / 1024:.0f} KiB each): "
                    f"{rate['count'] * rate['per_pdf_s']:,.0f} s for all, projected"
                )
            if m.get("missing"):
                print(f"  not on this tree: {', '.join(sorted(set(m['missing'])))}")
    print("\nPeak RSS by scale (memory flat?)")
    for r in results:
        labels = [
            k
            for k, v in r["runs"][-1].get("measured", {}).items()
            if isinstance(v, dict) and "peak_rss_mib" in v
        ]
        for label in labels:
            series = [
                f"x{run['scale']:g}: {run['measured'][label]['peak_rss_mib']:.0f} MiB"
                for run in r["runs"]
                if label in run.get("measured", {})
            ]
            print(f"  {r['engine']:8} {label:24} {', '.join(series)}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.role in ("baseline", "append", "pdf_rate", "export_nopdf"):  # engine's env
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        if args.role == "export_nopdf":
            export_nopdf(Path(args.file))
            return 0
        answer = {
            "baseline": lambda: baseline(args.since),
            "append": lambda: append_events(args.count),
            "pdf_rate": pdf_rate,
        }[args.role]()
        Path(args.out).write_text(json.dumps(answer))
        return 0
    if args.role == "engine":
        Path(args.out).write_text(json.dumps(run_engine(args), default=str))
        return 0
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    started = time.perf_counter()
    results = []
    for engine in engines:  # each scale in its own process: Django's settings load once
        runs = [child(args, engine, scale) for scale in args.scales]
        results.append({"engine": engine, "database": runs[-1]["database"],
                        "runs": [r for run in runs for r in run["runs"]]})  # fmt: skip
    sys.path.insert(0, str(ROOT / "src"))
    info = machine()
    info["seconds"] = round(time.perf_counter() - started)
    report(info, results)
    print(
        f"\nTotal {info['seconds']}s. Command: {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"machine": info, "results": results}, indent=2, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
