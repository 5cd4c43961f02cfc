"""House rules 1 and 10, enforced by reading the source (as Zulip enforces its own).

- Only core signs: nothing outside openqms/core names re-authentication (the password or
  the code checked again, sign-in itself) or the signature writers (write, void), or
  builds or changes Signature rows, also through a variable. Modules take signed steps
  through core.signing (directly or through a core.workflow table, whose
  `voids_signatures` voids them).
- Only actions write: views, API modules and management commands never call .save(),
  .delete(), .update(), bulk_create() and the like on any receiver, nor .create() on a
  manager.

Every module under src/openqms is read, so a new module cannot escape either rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import openqms

ROOT = Path(openqms.__file__).resolve().parent

# Core's re-authentication and signature writers: never named outside core, whatever
# the receiver (`signatures.write_signature`, `actions.verify_second_factor`, or a bare
# name), called or passed along.
SIGNING_INTERNALS = {
    "reauthenticate",
    "reauthenticate_password",
    "authenticate_password_for_signing",
    "verify_second_factor",
    "check_password",  # a password checked by hand
    "verify_token",  # a second-factor code checked by hand
    "write_signature",
    "apply_signature",
    "void_signatures",
    "lock_account",
}
# Sign-in: flagged when imported or reached through an imported module
# (`core_actions.authenticate`), not when an API auth class calls its parent's method
# (`super().authenticate(request, key)`).
SIGN_IN = {"authenticate"}

WRITE_VERBS = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# In views, API modules and commands these are writes on any receiver: a queryset or a
# row held in a variable is still a model (ordinary view code merges dicts with `|`).
VIEW_WRITES = WRITE_VERBS - {"create"}


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _chain(node: ast.AST) -> list[str]:
    """The names along a call's receiver: `Signature.objects.filter(x).update` gives
    ["Signature", "objects", "filter", "update"]; `super().save` gives ["super", "save"]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def _imported(tree: ast.AST) -> set[str]:
    """The names a module binds by importing (modules, functions, classes)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _targets(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _signature_names(tree: ast.AST) -> set[str]:
    """`Signature` and every variable bound from it: `sig = Signature.objects.get(...)`,
    `live = Signature.objects.filter(...)`, `for sig in live`, `with ... as sig`."""
    names, grew = {"Signature"}, True
    while grew:
        before = len(names)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                source = node.value
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
                targets, source = [node.target], node.iter
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                targets, source = [node.optional_vars], node.context_expr
            else:
                continue
            if source is not None and _targets(source) & names:
                for target in targets:
                    names |= _targets(target)
        grew = len(names) > before
    return names


def signing_violations(source: str) -> list[str]:
    """Where `source` re-authenticates, writes a signature or touches Signature rows."""
    tree = ast.parse(source)
    imported, signature_names = _imported(tree), _signature_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in SIGNING_INTERNALS | SIGN_IN:
                    found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Name) and node.id in SIGNING_INTERNALS | SIGN_IN:
            found.append(f"line {node.lineno}: names {node.id}")
        elif isinstance(node, ast.Attribute) and (
            node.attr in SIGNING_INTERNALS
            or (
                node.attr in SIGN_IN
                and _chain(node.value)[:1]
                and _chain(node.value)[0] in imported
            )
        ):
            found.append(f"line {node.lineno}: names {'.'.join(_chain(node))}")
        elif isinstance(node, ast.Call):
            chain = _chain(node.func)
            if chain == ["Signature"]:
                found.append(f"line {node.lineno}: builds a Signature")
            elif len(chain) > 1 and chain[0] in signature_names and chain[-1] in WRITE_VERBS:
                found.append(f"line {node.lineno}: writes Signature rows ({'.'.join(chain)})")
    return found


def model_write_violations(source: str) -> list[str]:
    """Where `source` writes a model directly instead of calling an action."""
    found = []
    tree = ast.parse(source)
    # A route's decorator (`@router.delete("/links/{pk}")`) declares an HTTP method, not a
    # write.
    routes = {
        id(d)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for d in f.decorator_list
    }
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if id(node) in routes:
            continue
        chain = _chain(node.func)
        verb, receiver = chain[-1], chain[:-1]
        if verb in VIEW_WRITES or (
            verb == "create" and ("objects" in receiver or len(receiver) > 1)
        ):
            found.append(f"line {node.lineno}: {'.'.join(chain)}()")
    return found


def _role(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    if "views" in parts or path.name == "views.py":
        return "view"
    if "api" in parts or path.name == "api.py":
        return "API module"
    if "management" in parts and "commands" in parts:
        return "management command"
    return None


def test_every_app_under_src_openqms_is_read():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    read = {_name(p).split("/")[0] for p in _modules()}
    assert {"core", "documents", "training", "testapp"} <= apps
    assert apps <= read


def test_nothing_outside_core_reauthenticates_or_writes_a_signature():
    problems = {
        _name(path): found
        for path in _modules()
        if _name(path).split("/")[0] != "core" and (found := signing_violations(path.read_text()))
    }
    assert problems == {}, "Take signed steps through core.signing, not by hand."


def test_views_api_modules_and_commands_never_write_models():
    problems = {
        f"{_role(path)} {_name(path)}": found
        for path in _modules()
        if _role(path) and (found := model_write_violations(path.read_text()))
    }
    assert problems == {}, "Only actions write: call the module's action instead."


@pytest.mark.parametrize(
    "source",
    [
        "from openqms.core.signatures import reauthenticate",
        "from openqms.core.actions import reauthenticate_password",
        "from openqms.core.actions.auth import authenticate_password_for_signing",
        "actions.verify_second_factor(user=u, code=c, action=a)",
        "from openqms.core.actions import authenticate",
        "from openqms.core import actions as core\ncore.authenticate(username=u, password=p)",
        "from django.contrib.auth import authenticate",
        "if not user.check_password(password):\n    raise Refused()",
        "device.verify_token(code)",
        "signatures.apply_signature(signer=u, obj=o, meaning='approved')",
        "signatures.write_signature(signer=u, obj=o, meaning='approved')",
        "signatures.void_signatures(actor=u, obj=o, reason='x')",
        "sign = signatures.write_signature",
        "auth.lock_account(user, reason='x')",
        "Signature(signer=u).save()",
        "Signature.objects.create(signer=u)",
        "Signature.objects.bulk_create(rows)",
        "Signature.objects.filter(pk=1).update(voided_at=now)",
        "live = Signature.objects.filter(object_id='1')\nlive.update(voided_at=now)",
        "sig = Signature.objects.get(pk=1)\nsig.void_reason = 'x'\nsig.save()",
        "for sig in Signature.objects.filter(object_id='1'):\n    sig.delete()",
    ],
)
def test_a_planted_signing_shortcut_is_caught(source):
    assert signing_violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "user = super().authenticate(request, key)",
        "signers = Signature.objects.filter(object_id='1').values_list('signer_id', flat=True)",
        "sig = Signature.objects.get(pk=1)\nshown = check(sig, revision)",
    ],
)
def test_core_reads_and_api_auth_hooks_are_not_mistaken_for_signing(source):
    assert signing_violations(source) == []


@pytest.mark.parametrize(
    "source",
    [
        "revision.save()",
        "Revision.objects.create(document=d)",
        "Revision.objects.filter(pk=1).update(state='x')",
        "qs = Revision.objects.filter(pk=1)\nqs.update(state='x')",
        "rows.update(state='x')",
        "document.revisions.create(label='B')",
        "hold.delete()",
        "Revision.objects.bulk_create(rows)",
        "Revision.objects.bulk_update(rows, ['state'])",
        "Revision.objects.get_or_create(document=d)",
        "Revision.objects.update_or_create(document=d)",
    ],
)
def test_a_planted_model_write_in_a_view_is_caught(source):
    assert model_write_violations(source)


def test_ordinary_view_code_is_not_mistaken_for_a_model_write():
    source = "context |= extra\nform = Form(initial={})\nrow = Revision.objects.filter(x=1).first()"
    assert model_write_violations(source) == []


def test_a_delete_route_is_not_a_model_write_but_a_delete_in_it_is():
    route = '@router.delete("/links/{pk}")\ndef remove(request, pk):\n    return None\n'
    assert model_write_violations(route) == []
    inside = '@router.delete("/links/{pk}")\ndef remove(request, pk):\n    link.delete()\n'
    assert model_write_violations(inside) == ["line 3: link.delete()"]


def _own_transactions(source: str) -> list[str]:
    """Durable transactions opened by hand (`transaction.atomic(durable=True)`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and _chain(node)[-1:] == ["atomic"]
            and any(k.arg == "durable" for k in node.keywords)
        ):
            found.append(f"line {node.lineno}: a durable transaction opened by hand")
    return found


def test_modules_write_in_core_writing_transactions_only():
    # One lock order for every writer — the audit chain, then rows — or two actions can
    # deadlock on PostgreSQL (core.audit.writing).
    problems = {
        _name(path): found
        for path in _modules()
        if _name(path).split("/")[0] != "core" and (found := _own_transactions(path.read_text()))
    }
    assert problems == {}, "Open writing transactions with core.audit.writing()."


def test_a_hand_opened_durable_transaction_is_caught():
    source = "from django.db import transaction\n@transaction.atomic(durable=True)\ndef f(): ..."
    assert _own_transactions(source) == ["line 2: a durable transaction opened by hand"]
    assert _own_transactions("from openqms.core import audit\nwith audit.writing(): ...") == []
