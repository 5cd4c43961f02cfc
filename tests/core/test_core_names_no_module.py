"""Core and the central files name no module: modules plug in through their module.py.

Reads the source, so a new central reference to a module fails here at once."""

import ast
import re
from pathlib import Path

from django.apps import apps

import openqms

SRC = Path(openqms.__file__).parent
# Every installed OpenQMS app but core, so a module added tomorrow is checked too.
MODULES = tuple(
    sorted(
        config.name.removeprefix("openqms.")
        for config in apps.get_app_configs()
        if config.name.startswith("openqms.") and config.name != "openqms.core"
    )
)
# A URL name ("training:my") or a path ("training/"), never prose ("audit events: ").
NAMED = re.compile(rf"\b({'|'.join(MODULES)})(?::\w|/)|openqms\.({'|'.join(MODULES)})\b")


def _python_files() -> list[Path]:
    core = [p for p in (SRC / "core").rglob("*.py") if "migrations" not in p.parts]
    return [SRC / "urls.py", SRC / "api.py", *core]


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, nodes)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _module_references(source: str) -> list[str]:
    tree = ast.parse(source)
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if NAMED.search(a.name)]
        elif isinstance(node, ast.ImportFrom) and NAMED.search(node.module or ""):
            found.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [node.value] if id(node) not in prose and NAMED.search(node.value) else []
    return found


def test_core_and_the_central_python_files_import_and_name_no_module():
    offenders = {
        str(path.relative_to(SRC)): refs
        for path in _python_files()
        if (refs := _module_references(path.read_text()))
    }
    assert offenders == {}


def test_the_base_template_and_core_templates_link_to_no_module():
    templates = [SRC / "templates" / "base.html", *(SRC / "templates" / "core").rglob("*.html")]
    offenders = [str(path.relative_to(SRC)) for path in templates if NAMED.search(path.read_text())]
    assert offenders == []


def test_the_modules_checked_are_the_installed_apps_besides_core():
    assert {"documents", "training", "testapp"} <= set(MODULES)
    assert "core" not in MODULES and all("." not in m for m in MODULES)


def test_the_source_check_would_catch_a_module_named_in_core():
    assert _module_references("from openqms.documents.hooks import on_effective")
    assert _module_references("import openqms.training.gate")
    assert _module_references("URL = reverse('training:my')")
    assert not _module_references('"""Documents, training and CAPA add theirs."""')
    assert _module_references("URL = reverse('events:complaints')")
    assert not _module_references("MESSAGE = 'unsealed events: '")
    assert NAMED.search("{% url 'documents:list' %}")
