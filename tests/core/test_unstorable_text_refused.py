"""Text one database engine stores and the other refuses (NUL, which PostgreSQL text and
jsonb cannot hold; lone surrogates, which its UTF-8 refuses) is refused alike on both
engines at input, so every record, and every archive, loads into either.

Every string field of every POST/PUT/PATCH body in the OpenAPI document is sent such a
value: each answer is 422 naming the field, and nothing is written."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.core.validators import ProhibitNullCharactersValidator

import openqms
from openqms.core import actions
from openqms.core.errors import InvalidInput
from openqms.core.text import clean_text
from openqms.testing import event_count

pytestmark = pytest.mark.verifies("CORE-028", refusal=True)

BAD = ["a\x00b", "a\ud800b"]


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        schema = root["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _string_paths(schema: dict, root: dict, path=()):
    """The path of every string (or list-of-string) field in a body schema."""
    schema = _resolve(schema, root)
    options = schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", [])
    if options:
        for option in options:
            yield from _string_paths(option, root, path)
        return
    kind = schema.get("type")
    if kind == "string" and schema.get("format") != "binary":
        yield path
    elif kind == "array":
        for inner in _string_paths(schema.get("items", {}), root, ()):
            yield (*path, 0, *inner)
    elif kind == "object":
        for name, prop in schema.get("properties", {}).items():
            yield from _string_paths(prop, root, (*path, name))


def _body(path: tuple, value: str):
    body: object = value
    for part in reversed(path):
        body = [body] if part == 0 else {part: body}
    return body


def _cases(schema: dict):
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or "requestBody" not in operation:
                continue
            content = operation["requestBody"]["content"]
            kind = next(iter(content))
            for field in set(_string_paths(content[kind]["schema"], schema)):
                yield method, re.sub(r"\{[^}]+\}", "1", url), kind, field


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


@pytest.mark.parametrize("bad", BAD, ids=["nul", "lone-surrogate"])
def test_every_string_field_of_every_api_body_refuses_unstorable_text(client, cast, bad):
    token = actions.create_api_token(actor=cast.admin, user=cast.admin, name="nul")[1]
    auth = {"Authorization": f"Bearer {token}"}
    schema = client.get("/api/v1/openapi.json", headers=auth).json()
    cases = list(_cases(schema))
    assert len(cases) > 40  # every module's bodies are reached
    events, rows = event_count(), _row_counts()
    for method, url, kind, field in cases:
        if kind == "application/json":
            data, content_type = json.dumps(_body(field, bad)), kind
        else:
            data, content_type = {field[0]: bad}, None
        send = getattr(client, method)
        response = (
            send(url, data=data, content_type=content_type, headers=auth)
            if content_type
            else send(url, data=data, headers=auth)
        )
        where = ".".join(str(p) for p in (field if content_type else field[:1]))
        assert response.status_code == 422, (method, url, field, response.content)
        assert where in response.json()["fields"], (url, response.json())
    assert (event_count(), _row_counts()) == (events, rows)


def test_typed_text_refuses_unstorable_characters_on_every_engine():
    for bad in BAD:
        with pytest.raises(InvalidInput) as refused:
            clean_text(bad, "title")
        assert "title" in refused.value.fields


def _form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(openqms.__path__, "openqms."):
        if ".forms" in info.name and "migrations" not in info.name:
            importlib.import_module(info.name)
    found, todo = set(), [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("openqms."):
                found.add(sub)
    return sorted(found, key=lambda c: c.__qualname__)


def test_every_text_field_of_every_form_refuses_nul():
    """Django's CharField (and its kinds: email, slug…) carries the NUL validator; a form
    field of any other kind parses its value (a number, a date, a choice) or is a file,
    whose name core.files.safe_name strips of control characters. Lone surrogates
    cannot reach a form: Django decodes form data as UTF-8, replacing what is invalid."""
    classes = _form_classes()
    assert len(classes) > 10
    for form in classes:
        for name, field in form.base_fields.items():
            if isinstance(field, forms.CharField):
                assert any(
                    isinstance(v, ProhibitNullCharactersValidator) for v in field.validators
                ), f"{form.__qualname__}.{name}"
