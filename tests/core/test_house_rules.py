"""House rules 1 and 10, enforced by reading the source (as Zulip enforces its own).

- Only core signs: nothing outside openqms/core calls re-authentication or the signature
  writers, or creates or changes Signature rows. Modules take signed steps through
  core.signing (directly or through a core.workflow table).
- Only actions write: views, API modules and management commands never call .save(),
  .delete(), .update(), .create(), bulk_create() and the like on models.

Every module under src/openqms is read, so a new module cannot escape either rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import openqms

ROOT = Path(openqms.__file__).resolve().parent

SIGNING_INTERNALS = {
    "reauthenticate",
    "authenticate_password_for_signing",
    "apply_signature",
    "write_signature",
}

MODEL_WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_HINTS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related"}


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _chain(node: ast.AST) -> list[str]:
    """The names along a call's receiver: `Signature.objects.filter(x).update` gives
    ["Signature", "objects", "filter", "update"]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def signing_violations(source: str) -> list[str]:
    """Where `source` re-authenticates, writes a signature or touches Signature rows."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in SIGNING_INTERNALS:
                    found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.Call):
            chain = _chain(node.func)
            if chain and chain[-1] in SIGNING_INTERNALS:
                found.append(f"line {node.lineno}: calls {'.'.join(chain)}")
            elif chain[:1] == ["Signature"] and (
                len(chain) == 1 or chain[-1] in {"create", "update", "delete", *MODEL_WRITES}
            ):
                found.append(f"line {node.lineno}: writes Signature rows ({'.'.join(chain)})")
    return found


def model_write_violations(source: str) -> list[str]:
    """Where `source` writes a model directly instead of calling an action."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        chain = _chain(node.func)
        verb, receiver = chain[-1], chain[:-1]
        if (
            verb in MODEL_WRITES
            or (verb in {"create", "update"} and QUERYSET_HINTS & set(receiver))
            or (verb == "create" and len(receiver) > 1)  # a related manager: doc.revisions
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
        "signatures.apply_signature(signer=u, obj=o, meaning='approved')",
        "Signature(signer=u).save()",
        "Signature.objects.create(signer=u)",
        "Signature.objects.filter(pk=1).update(voided_at=now)",
    ],
)
def test_a_planted_signing_shortcut_is_caught(source):
    assert signing_violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "revision.save()",
        "Revision.objects.create(document=d)",
        "Revision.objects.filter(pk=1).update(state='x')",
        "document.revisions.create(label='B')",
        "hold.delete()",
        "Revision.objects.bulk_create(rows)",
    ],
)
def test_a_planted_model_write_in_a_view_is_caught(source):
    assert model_write_violations(source)


def test_ordinary_view_code_is_not_mistaken_for_a_model_write():
    assert model_write_violations("context.update(extra)\nform = Form(initial={})") == []
