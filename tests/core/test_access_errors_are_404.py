"""One conversion of access errors to 404: the access helpers' NotFound is itself a 404
for pages and the JSON `not_found` error for the API, so no view converts it by hand."""

import ast
import re
from pathlib import Path

import pytest

import openqms
from openqms.testing import event_count

SOURCE = Path(openqms.__file__).parent


def _handlers_of_not_found(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        # the domain error NotFound, not Python's FileNotFoundError
        if isinstance(node, ast.ExceptHandler) and re.search(
            r"\bNotFound\b", ast.unparse(node.type or "")
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_catches_not_found_to_turn_it_into_a_404():
    caught = {
        str(path.relative_to(SOURCE)): lines
        for path in SOURCE.rglob("*.py")
        if (lines := _handlers_of_not_found(path))
    }
    assert caught == {}


@pytest.mark.verifies("CORE-015", refusal=True)
def test_a_page_the_outsider_may_not_see_is_a_plain_404(signed_in, cast):
    before = event_count()
    response = signed_in(cast.outsider).get("/admin/users/author/")
    assert response.status_code == 404
    assert event_count() == before


@pytest.mark.verifies("CORE-015", refusal=True)
def test_the_same_refusal_through_the_api_is_json_not_found(signed_in, cast):
    response = signed_in(cast.outsider).get("/api/v1/users/author")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
