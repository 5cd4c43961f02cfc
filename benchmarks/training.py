#!/usr/bin/env python3
"""Benchmark of the training matrix and of assignments at a large customer's size.

    .venv/bin/python benchmarks/training.py                  # both engines
    .venv/bin/python benchmarks/training.py --engine sqlite --repeat 5

For each engine, in a fresh database: 2,000 people in 10 departments, 500 effective
controlled documents (15 policies, 150 SOPs, 250 work instructions, 80 forms, 5 plans; one
in ten with 2 or 3 revisions, a quarter of those marked "no retraining needed"), 40 job roles
(each requiring about 10 documents by number, every quality policy by type, every
document serving one ISO 13485 clause, and 1 or 2 competencies), each person holding 1 to
3 roles, with completed, open and overdue assignments and competence records (some
expired). Rows are generated in bulk (set-up, not measured). Then:
1. the full matrix, `matrix.build()` for everyone: p50/p95 over `--repeat` runs, against
   a baseline in the same run: the same rows `build()` reads, fetched with raw SQL into
   the same dictionaries, with no status logic (the floor the database sets);
2. the matrix page (first page, 50 people) as a signed-in QA lead through the Django
   test client: p50/p95 and its query count at 200 and at 2,000 people. While the page
   is still a placeholder answering 404, a stand-in is measured and said so:
   `matrix.build(people=<the page's 50>)` plus a plain HTML table built in Python;
3. a revision of a policy that every job role requires (2,000 people) approved through
   `documents.actions.take_step` with the reviewer's and approver's signatures: the
   approval that makes it effective and creates 2,000 assignments, against the same
   approval of a plan nobody is required to train on.
Targets (issue 4): full matrix < 1 s, page p95 < 200 ms with a constant query count,
the 2,000-person revision < 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/openqms_trainbench"
DEPARTMENTS = [
    "Quality",
    "Regulatory",
    "R&D Software",
    "R&D Hardware",
    "Production",
    "Warehouse",
    "Service",
    "Sales",
    "Clinical",
    "Purchasing",
]
CLAUSES = [
    "4.1", "4.2.3", "4.2.4", "4.2.5", "5.6", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3",
    "7.3.9", "7.4", "7.5.1", "7.5.6", "7.5.8", "7.6", "8.2.1", "8.2.2", "8.2.4", "8.2.6",
    "8.3", "8.4", "8.5.2",
]  # fmt: skip
# (type code, count): 500 controlled documents
TYPES = [
    ("quality_policy", 15),
    ("procedure", 150),
    ("work_instruction", 250),
    ("form", 80),
    ("plan", 5),
]
TARGET_MATRIX_S, TARGET_PAGE_MS, TARGET_APPROVAL_S = 1.0, 200.0, 2.0


def environment(engine: str, data_dir: str, pg_url: str) -> None:
    os.environ.update(
        OPENQMS_DATA_DIR=data_dir,
        OPENQMS_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_SETTINGS_MODULE="openqms.settings",
        OPENQMS_ALLOWED_HOSTS="*",
        OPENQMS_SSL_REDIRECT="false",
    )
    os.environ.setdefault("OPENQMS_LOG_LEVEL", "WARNING")
    if engine == "postgres":
        os.environ["OPENQMS_DATABASE_URL"] = pg_url
        _pg_admin(pg_url, create=True)
    else:
        os.environ.pop("OPENQMS_DATABASE_URL", None)


def _pg_admin(pg_url: str, create: bool) -> None:
    import psycopg
    from psycopg import sql

    admin, name = pg_url.rsplit("/", 1)[0] + "/postgres", pg_url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[round(p * (len(ordered) - 1))]


def summary(times: list[float]) -> dict:
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "runs": times}


# -- generated data (set-up, not measured) ---------------------------------------------


def build_library(rng: random.Random) -> dict:
    """500 documents with their revisions, 15 competencies, 40 job roles."""
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.documents.models import Document, DocumentType, Revision
    from openqms.training.models import Competency, JobRole, Requirement

    now = timezone.now()
    long_ago = now - dt.timedelta(days=900)
    author, qa = User.objects.get(username="author"), User.objects.get(username="qa")
    documents = []
    for code, count in TYPES:
        doc_type = DocumentType.objects.get(code=code)
        start = doc_type.next_number
        for n in range(start, start + count):
            documents.append(
                Document(
                    number=doc_type.format_number(n),
                    title=f"{doc_type.name} {n}",
                    doc_type=doc_type,
                    owner=author,
                    clauses=rng.sample(CLAUSES, rng.choice([1, 1, 2])),
                    created_at=long_ago,
                    in_force=True,  # each has an effective revision (below)
                )
            )
        doc_type.next_number = start + count
        doc_type.save(update_fields=["next_number"])
    Document.objects.bulk_create(documents)
    revisions = []
    for doc in documents:
        count = 1 if rng.random() < 0.9 else rng.choice([2, 2, 3])
        for seq in range(1, count + 1):
            start = long_ago + dt.timedelta(days=300 * (seq - 1))
            revisions.append(
                Revision(
                    document=doc,
                    sequence=seq,
                    label="ABC"[seq - 1],
                    state="effective" if seq == count else "superseded",
                    body="1. Purpose\n\nGenerated.",
                    change_reason="Update",
                    author=author,
                    created_at=start,
                    became_effective_at=start,
                    ended_at=None if seq == count else start + dt.timedelta(days=300),
                    retraining_needed=seq == 1 or rng.random() < 0.75,
                    retraining_justification="" if seq == 1 else "Typo",
                )
            )
    Revision.objects.bulk_create(revisions)
    competencies = Competency.objects.bulk_create(
        Competency(
            name=f"Competency {i + 1}",
            kind=rng.choice(["course", "qualification", "licence", "skill"]),
            validity_months=rng.choice([None, 12, 24, 36]),
        )
        for i in range(15)
    )
    roles = JobRole.objects.bulk_create(
        JobRole(name=f"Job role {i + 1:02d}", created_at=long_ago) for i in range(40)
    )
    policy = DocumentType.objects.get(code="quality_policy")
    requirements = []
    plan = DocumentType.objects.get(code="plan")
    # Plans serve no clause and no role names them: nobody is required to train on them.
    Document.objects.filter(doc_type=plan).update(clauses=[])
    numbered = [d for d in documents if d.doc_type_id not in (policy.pk, plan.pk)]
    for role in roles:
        req = dict(job_role=role, added_at=long_ago, added_by=qa)
        for doc in rng.sample(numbered, rng.randint(8, 12)):
            requirements.append(Requirement(kind="document", document=doc, **req))
        # Every role trains on the quality policies: so a policy revision reaches everyone.
        requirements.append(Requirement(kind="doc_type", doc_type=policy, **req))
        requirements.append(Requirement(kind="clause", clause=rng.choice(CLAUSES), **req))
        for comp in rng.sample(competencies, rng.randint(1, 2)):
            requirements.append(Requirement(kind="competency", competency=comp, **req))
    Requirement.objects.bulk_create(requirements)
    return {"roles": [r.pk for r in roles]}


def build_people(rng: random.Random, first: int, last: int, roles: list[int]) -> None:
    """People first..last-1 with their holdings, assignments and competence records, in
    the state the real actions would have left them."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from openqms.core.models import User
    from openqms.training import matrix
    from openqms.training.models import (
        Assignment,
        CompetenceRecord,
        Employee,
        Holding,
    )

    now = timezone.now()
    today = timezone.localdate()
    qa = User.objects.get(username="qa")
    password = make_password("a-long-benchmark-passphrase-9")
    people = User.objects.bulk_create(
        User(
            username=f"person{n:05d}",
            full_name=f"Person {rng.choice('ABCDEFGHIJKLMNOPRSTW')}{n:05d}",
            email=f"person{n:05d}@bench.invalid",
            password=password,
        )
        for n in range(first, last)
    )
    managers = list(User.objects.filter(username__in=["qa", "approver", "reviewer"]))
    Employee.objects.bulk_create(
        Employee(user=p, department=rng.choice(DEPARTMENTS), manager=rng.choice(managers))
        for p in people
    )
    Holding.objects.bulk_create(
        Holding(
            person=p,
            job_role_id=role,
            started_on=today - dt.timedelta(days=rng.randint(30, 1500)),
            started_by=qa,
        )
        for p in people
        for role in rng.sample(roles, rng.choice([1, 1, 2, 2, 2, 3]))
    )
    # What each now requires, from the matrix itself (so the data matches its rules).
    required = matrix.build(people=[p.pk for p in people])
    revisions = _revisions_by_document()
    assignments, records = [], []
    for row in sorted(required.rows, key=lambda r: r.person_id):  # the same on both engines
        for key in sorted(row.cells):
            if key[0] == "c":
                if rng.random() < 0.9:
                    obtained = today - dt.timedelta(days=rng.randint(30, 1500))
                    expires = None if rng.random() < 0.3 else obtained + dt.timedelta(days=730)
                    records.append(
                        CompetenceRecord(
                            person_id=row.person_id,
                            kind="certificate",
                            competency_id=int(key[1:]),
                            title="Certificate",
                            obtained_on=obtained,
                            expires_on=expires,
                            recorded_by=qa,
                            recorded_at=now,
                        )
                    )
                continue
            history = revisions[int(key[1:])]
            for rev_id, _seq, effective_at in history[:-1]:  # trained on the older ones
                if rng.random() < 0.9:
                    assignments.append(_done(row.person_id, key, rev_id, effective_at))
            rev_id, _seq, effective_at = history[-1]
            roll = rng.random()
            if roll < 0.8:
                assignments.append(_done(row.person_id, key, rev_id, effective_at))
            else:  # open: one in three overdue
                due = today + dt.timedelta(days=rng.randint(-60, -1) if roll < 0.87 else 20)
                assignments.append(
                    Assignment(
                        person_id=row.person_id,
                        document_id=int(key[1:]),
                        revision_id=rev_id,
                        reason="Revision became effective",
                        assigned_at=now - dt.timedelta(days=40),
                        due_date=due,
                    )
                )
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    CompetenceRecord.objects.bulk_create(records, batch_size=5000)


def _done(person_id: int, key: str, revision_id: int, effective_at):
    from openqms.training.models import Assignment

    completed = effective_at + dt.timedelta(days=10)
    return Assignment(
        person_id=person_id,
        document_id=int(key[1:]),
        revision_id=revision_id,
        state="completed",
        reason="Revision became effective",
        assigned_at=effective_at,
        due_date=(effective_at + dt.timedelta(days=30)).date(),
        completed_at=completed,
        method="signature",
    )


def _revisions_by_document() -> dict[int, list[tuple[int, int, dt.datetime]]]:
    from openqms.documents.models import Revision

    out: dict[int, list] = {}
    for pk, doc, seq, at in (
        Revision.objects.filter(became_effective_at__isnull=False)
        .order_by("document_id", "sequence")
        .values_list("pk", "document_id", "sequence", "became_effective_at")
    ):
        out.setdefault(doc, []).append((pk, seq, at))
    return out


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- 1. the full matrix -----------------------------------------------------------------


def full_matrix(repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openqms.training import matrix

    times, cpu, built = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        built = matrix.build()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    with CaptureQueriesContext(connection) as queries:
        matrix.build()
    totals = built.totals()
    baseline = [raw_read() for _ in range(repeat)]
    count = [_timed_sql("SELECT count(*) FROM training_assignment") for _ in range(repeat)]
    return {
        **summary(times),
        "cpu": summary(cpu),
        "queries": len(queries),
        "people": len(built.rows),
        "columns": len(built.columns),
        "cells": totals["required"],
        "totals": totals,
        "baseline": summary(baseline),
        "count_all": summary(count),
    }


def _timed_sql(sql: str) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()
    return time.perf_counter() - start


def raw_read() -> float:
    """The baseline: the rows the matrix needs (holdings with names, live requirements,
    revisions in force, retraining baselines, completed and open assignments, competence
    records), read with plain SQL into dictionaries keyed like build()'s, no statuses."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            "SELECT h.person_id, h.job_role_id, u.username, u.full_name, e.department "
            "FROM training_holding h JOIN core_user u ON u.id = h.person_id "
            "LEFT JOIN training_employee e ON e.user_id = u.id "
            "WHERE h.ended_on IS NULL AND u.is_active"
        )
        roles_of: dict = {}
        for person, role, *_ in c.fetchall():
            roles_of.setdefault(person, set()).add(role)
        c.execute(
            "SELECT job_role_id, kind, document_id, doc_type_id, clause, competency_id "
            "FROM training_requirement WHERE removed_at IS NULL"
        )
        c.fetchall()
        c.execute(
            "SELECT r.id, r.document_id, r.label, r.sequence, d.number, d.title, "
            "d.doc_type_id, d.clauses FROM documents_revision r "
            "JOIN documents_document d ON d.id = r.document_id WHERE r.state = 'effective'"
        )
        c.fetchall()
        c.execute(
            "SELECT document_id, max(sequence) FROM documents_revision "
            "WHERE became_effective_at IS NOT NULL AND retraining_needed GROUP BY document_id"
        )
        dict(c.fetchall())
        c.execute(
            "SELECT a.person_id, a.document_id, r.sequence FROM training_assignment a "
            "JOIN documents_revision r ON r.id = a.revision_id WHERE a.state = 'completed'"
        )
        done = {}
        for person, doc, seq in c.fetchall():
            if done.get((person, doc), 0) < seq:
                done[(person, doc)] = seq
        c.execute(
            "SELECT person_id, document_id, due_date FROM training_assignment WHERE state = 'open'"
        )
        {(p, d): due for p, d, due in c.fetchall()}
        c.execute(
            "SELECT person_id, competency_id, expires_on FROM training_competencerecord "
            "WHERE withdrawn_at IS NULL AND competency_id IS NOT NULL"
        )
        {(p, comp): exp for p, comp, exp in c.fetchall()}
    return time.perf_counter() - start


# -- 2. the matrix page -----------------------------------------------------------------


def matrix_page(repeat: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from openqms.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="qa"))
    real = client.get("/training/matrix/").status_code == 200

    def fetch() -> None:
        if real:
            response = client.get("/training/matrix/")
            assert response.status_code == 200, response.status_code
        else:
            stand_in()

    fetch()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return {**summary(times), "queries": len(queries), "real": real}


def stand_in() -> str:
    """What the page does until it exists: the matrix of its first 50 people (by name,
    like the matrix's rows), rendered as a plain HTML table."""
    from html import escape

    from django.db.models import Q
    from django.utils import timezone

    from openqms.training import matrix
    from openqms.training.models import Holding

    today = timezone.localdate()
    page = list(
        Holding.objects.filter(started_on__lte=today, person__is_active=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .order_by("person__full_name", "person__username")
        .values_list("person_id", flat=True)
        .distinct()[:50]
    )
    built = matrix.build(people=page)
    stats = built.column_stats()
    out = ["<table><thead><tr><th>Person</th>"]
    out += [f"<th title='{escape(c.title)}'>{escape(c.label)}</th>" for c in built.columns]
    out.append("<th>%</th></tr></thead><tbody>")
    for row in built.rows:
        out.append(f"<tr><th>{escape(row.full_name)}</th>")
        for column in built.columns:
            cell = row.cells.get(column.key)
            if cell is None:
                out.append("<td></td>")
            else:
                out.append(f"<td class='{cell.status}'>{cell.label} {cell.due or ''}</td>")
        out.append(f"<td>{row.percent}</td></tr>")
    out.append("</tbody><tfoot><tr><th>%</th>")
    out += [f"<td>{stats[c.key][2]}</td>" for c in built.columns]
    out.append("</tr></tfoot></table>")
    return "".join(out)


# -- 3. a revision affecting 2,000 people ---------------------------------------------


def approvals(count: int) -> dict:
    """Approve a new revision of `count` policies (required of everyone) and of `count`
    plans nobody is required to train on; time only the approving `take_step`, and
    apart the tick that then sends the queued assignment emails (outside the request)."""
    from django.utils import timezone

    from openqms.core.demo import DEMO_PASSWORD
    from openqms.core.mail import send_queued
    from openqms.core.models import User
    from openqms.core.signatures import Credentials
    from openqms.documents import actions as documents
    from openqms.documents.models import Document
    from openqms.training.models import Assignment

    sign = Credentials(DEMO_PASSWORD)
    author, reviewer, approver = (
        User.objects.get(username=u) for u in ("author", "reviewer", "approver")
    )
    policies = list(
        Document.objects.filter(doc_type__code="quality_policy").order_by("number")[:count]
    )
    unrequired = list(Document.objects.filter(doc_type__code="plan").order_by("number")[:count])
    # The reviewer and approver are trained on what they sign (the gate may be on).
    trained = []
    for document in [*policies, *unrequired]:
        current = document.revisions.get(state="effective")
        key, at = f"d{document.pk}", current.became_effective_at
        trained += [_done(s.pk, key, current.pk, at) for s in (reviewer, approver)]
    signers = [reviewer.pk, approver.pk]
    Assignment.objects.filter(
        person_id__in=signers, revision_id__in=[a.revision_id for a in trained], state="open"
    ).update(state="completed", completed_at=timezone.now(), method="signature")
    Assignment.objects.bulk_create(trained, ignore_conflicts=True)

    def approve(document) -> tuple[float, int, float]:
        draft = documents.start_revision(actor=author, document=document, change_reason="Update")
        draft = documents.edit_draft(
            actor=author, revision=draft, body="1. Purpose\n\nChanged.",
            change_summary="Changed", change_reason="Update",
        )  # fmt: skip
        draft = documents.take_step(
            actor=author, revision=draft, step="submit", reviewers=[reviewer], approvers=[approver],
            due_date=timezone.localdate() + dt.timedelta(days=14),
        )  # fmt: skip
        draft = documents.take_step(actor=reviewer, revision=draft, step="review", credentials=sign)
        send_queued(limit=100_000)  # earlier steps' emails are not this tick's
        before = Assignment.objects.count()
        start = time.perf_counter()
        done = documents.take_step(actor=approver, revision=draft, step="approve", credentials=sign)
        seconds = time.perf_counter() - start
        assert done.state == "effective", done.state
        start = time.perf_counter()
        send_queued(limit=100_000)  # what `openqms tick` does next, outside the request
        return seconds, Assignment.objects.count() - before, time.perf_counter() - start

    wide = [approve(d) for d in policies]
    narrow = [approve(d) for d in unrequired]
    return {
        "everyone": summary([s for s, _, _ in wide]),
        "created": [n for _, n, _ in wide],
        "emails": summary([m for _, _, m in wide]),
        "nobody": summary([s for s, _, _ in narrow]),
        "created_nobody": [n for _, n, _ in narrow],
    }


# -- one engine -------------------------------------------------------------------------


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_engine(args) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        environment(args.engine, data_dir, args.pg_url)
        sys.path.insert(0, str(ROOT / "src"))
        import django
        from django.core.management import call_command

        django.setup()
        from django.conf import settings

        from openqms.core.demo import seed_demo

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        call_command("migrate", verbosity=0)
        seed_demo()
        rng = random.Random(13)
        result = {"engine": args.engine, "database": database_version()}
        start = time.perf_counter()
        library = build_library(rng)
        build_people(rng, 0, args.small, library["roles"])
        if args.engine == "postgres":
            analyze()
        result["small"] = matrix_page(args.repeat)
        build_people(rng, args.small, args.people, library["roles"])
        if args.engine == "postgres":
            analyze()
        result["build_s"] = time.perf_counter() - start
        log(f"{args.engine}: data built in {result['build_s']:.0f} s")
        from openqms.training.models import Assignment, CompetenceRecord

        result["assignments"] = Assignment.objects.count()
        result["records"] = CompetenceRecord.objects.count()
        result["matrix"] = full_matrix(args.repeat)
        log(f"{args.engine}: full matrix p50 {result['matrix']['p50']:.3f} s")
        result["large"] = matrix_page(args.repeat)
        log(f"{args.engine}: page p95 {result['large']['p95']:.1f} ms")
        result["approval"] = approvals(args.approvals)
        if args.engine == "postgres":
            from django.db import connections

            connections.close_all()
            _pg_admin(args.pg_url, create=False)
        return result


def report(results: list[dict]) -> None:
    import django

    print(
        f"\nTraining benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Django {django.__version__}"
    )
    for r in results:
        m, small, large, a = r["matrix"], r["small"], r["large"], r["approval"]
        page = "page" if large["real"] else "page STAND-IN (view answers 404)"
        print(
            f"\n{r['engine']} ({r['database']}): {m['people']:,} people, {m['columns']} columns, "
            f"{m['cells']:,} required cells, {r['assignments']:,} assignments, "
            f"{r['records']:,} competence records (built in {r['build_s']:.0f} s)"
        )
        print(f"  totals: {m['totals']}")
        print("| measure | p50 | p95 | queries | baseline p50 |")
        print("|---|---:|---:|---:|---:|")
        print(
            f"| full matrix, s (CPU p50 {m['cpu']['p50']:.3f}) | {m['p50']:.3f} | {m['p95']:.3f} "
            f"| {m['queries']} | raw read {m['baseline']['p50']:.3f}; "
            f"count(*) {m['count_all']['p50']:.4f} |"
        )
        print(
            f"| {page}, 50 people, ms | {large['p50']:.1f} | {large['p95']:.1f} "
            f"| {large['queries']} (at {small['queries']} with 200 people) | |"
        )
        print(
            f"| approval reaching 2,000 people, s (tick then mails: p50 {a['emails']['p50']:.3f}) "
            f"| {a['everyone']['p50']:.3f} | {a['everyone']['p95']:.3f} | "
            f"| nobody required: {a['nobody']['p50']:.3f} |"
        )
        print(f"  assignments created per approval: {a['created']} vs {a['created_nobody']}")
        checks = [
            ("full matrix < 1 s", m["p95"] < TARGET_MATRIX_S, f"p95 {m['p95']:.3f} s"),
            ("page p95 < 200 ms", large["p95"] < TARGET_PAGE_MS, f"{large['p95']:.1f} ms"),
            (
                "page queries constant",
                large["queries"] == small["queries"],
                f"{small['queries']} = {large['queries']}",
            ),
            (
                "2,000-person revision < 2 s",
                max(a["everyone"]["runs"]) < TARGET_APPROVAL_S,
                f"slowest {max(a['everyone']['runs']):.3f} s",
            ),
        ]
        for name, ok, detail in checks:
            print(f"  {name:28} {'MET' if ok else 'MISSED':6} {detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--small", type=int, default=200, help="people at the first reading")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per reading")
    parser.add_argument("--approvals", type=int, default=3, help="approvals of each kind")
    parser.add_argument("--pg-url", default=os.environ.get("OPENQMS_BENCH_DATABASE_URL", PG_URL))
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--role", default="parent", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "engine":
        print(json.dumps(run_engine(args), default=str))
        return 0
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    results = []
    for engine in engines:
        cmd = [sys.executable, __file__, "--role", "engine", "--engine", engine]
        for option in ("people", "small", "repeat", "approvals", "pg_url"):
            cmd += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    report(results)
    print(f"\nCommand: {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
