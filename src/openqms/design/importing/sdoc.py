"""A small reader of StrictDoc's .sdoc text format: the part of the grammar design
items need. StrictDoc itself is not a runtime dependency (it is large, and its parser
stops at the first error while an import must report every problem with its line).

Read: [DOCUMENT] (TITLE and the other document fields, skipped), an optional [GRAMMAR]
(only the element names and their field names are used), [SECTION]…[/SECTION] and
[[SECTION]]…[[/SECTION]] nesting, [TEXT] (skipped), and every other element
([REQUIREMENT], [TEST_CASE], …) as an item: UID, TITLE, STATEMENT, TYPE, other fields as
attributes (single-line `NAME: value` or `NAME: >>>` … `<<<`), and RELATIONS
(`- TYPE: Parent` / `VALUE: UID`: this item → that one; `Child`: that one → this one;
`File` relations are ignored; a ROLE naming a link kind sets the kind)."""

from __future__ import annotations

import re

from openqms.design.actions.import_plan import Plan, PlanItem, PlanLink
from openqms.design.models import LinkKind

NODE = re.compile(r"^\[(\[?)(/?)([A-Z][A-Z0-9_]*)\]\]?\s*$")
FIELD = re.compile(r"^([A-Z][A-Z0-9_]*):(?: (.*))?$")
RELATION = re.compile(r"^(- |  )(TYPE|VALUE|ROLE): ?(.*)$")
# StrictDoc's default fields of a [REQUIREMENT]; TYPE is ours (the OpenQMS item type).
DEFAULT_FIELDS = {
    "MID", "UID", "LEVEL", "STATUS", "TAGS", "TITLE", "STATEMENT", "DESCRIPTION",
    "CONTENT", "RATIONALE", "COMMENT", "TYPE", "RELATIONS",
}  # fmt: skip
TEXT_FIELDS = ("STATEMENT", "DESCRIPTION", "CONTENT")
KINDS = {k.value: k.value for k in LinkKind} | {k.label: k.value for k in LinkKind}


class _Element:
    def __init__(self, tag: str, line: int) -> None:
        self.tag, self.line = tag, line
        self.fields: dict[str, str] = {}
        self.field_lines: dict[str, int] = {}
        self.relations: list[dict[str, str | int]] = []


def _grammar(lines: list[str], start: int) -> tuple[dict[str, set[str]], int]:
    """Element name → its field names, and the index of the first line after."""
    elements: dict[str, set[str]] = {}
    current: set[str] | None = None
    index = start
    while index < len(lines) and not NODE.match(lines[index]):
        stripped = lines[index].strip()
        if stripped.startswith("- TAG:"):
            current = elements.setdefault(stripped[6:].strip(), {"RELATIONS", "TYPE"})
        elif stripped.startswith("- TITLE:") and current is not None:
            current.add(stripped[8:].strip())
        index += 1
    return elements, index


def parse(content: str, name: str, plan: Plan) -> None:
    """Add the items and links of one .sdoc file to `plan`, and every problem."""
    lines = content.splitlines()
    grammar: dict[str, set[str]] | None = None
    sections: list[tuple[str, int]] = []
    element: _Element | None = None
    in_header = False
    index = 0
    if not lines or lines[0].strip() != "[DOCUMENT]":
        plan.problem(name, 1, "A .sdoc file starts with [DOCUMENT].")
    while index < len(lines):
        line = lines[index].rstrip()
        number = index + 1
        index += 1
        if not line:
            continue
        node = NODE.match(line)
        if node:
            if element is not None:
                _finish(element, name, grammar, plan)
                element = None
            in_header = False
            double, closing, tag = node.groups()
            if tag == "DOCUMENT":
                in_header = True
            elif tag == "GRAMMAR":
                grammar, index = _grammar(lines, index)
            elif tag == "SECTION" and not closing:
                sections.append((f"[{double}SECTION]", number))
            elif tag == "SECTION":
                if not sections:
                    plan.problem(name, number, f"{line.strip()} closes no open section.")
                else:
                    sections.pop()
            elif tag in ("TEXT", "FREETEXT"):
                element = _Element("TEXT", number)
            elif closing:
                plan.problem(name, number, f"{line.strip()} closes nothing.")
            else:
                element = _Element(tag, number)
            continue
        found = FIELD.match(line)
        if found and found.group(2) is not None and found.group(2).strip() == ">>>":
            value, index = _multiline(lines, index, name, number, plan)
            if element is not None:
                _set(element, found.group(1), value, number, name, plan)
            continue
        if in_header or (element is not None and element.tag == "TEXT"):
            continue
        if element is None:
            if found and sections:
                continue  # a section's own fields (TITLE, UID, LEVEL)
            plan.problem(name, number, f"This line is outside any element: “{line[:60]}”.")
            continue
        if found and found.group(1) == "RELATIONS" and not (found.group(2) or "").strip():
            continue
        relation = RELATION.match(line)
        if relation:
            _relation(element, relation, number, name, plan)
        elif found:
            _set(element, found.group(1), (found.group(2) or "").strip(), number, name, plan)
        else:
            plan.problem(name, number, f"Cannot read this line: “{line[:60]}”.")
    if element is not None:
        _finish(element, name, grammar, plan)
    for opened, number in sections:
        plan.problem(name, number, f"{opened} is never closed.")


def _multiline(lines: list[str], index: int, name: str, number: int, plan: Plan) -> tuple[str, int]:
    body: list[str] = []
    while index < len(lines):
        if lines[index].rstrip() == "<<<":
            return "\n".join(body), index + 1
        body.append(lines[index])
        index += 1
    plan.problem(name, number, "This >>> text is never closed with <<<.")
    return "\n".join(body), index


def _set(element: _Element, key: str, value: str, number: int, name: str, plan: Plan) -> None:
    if key in element.fields:
        plan.problem(name, number, f"{key} is given twice in this {element.tag}.")
        return
    element.fields[key] = value
    element.field_lines[key] = number


def _relation(element: _Element, match: re.Match, number: int, name: str, plan: Plan) -> None:
    start, key, value = match.group(1), match.group(2), match.group(3).strip()
    if start == "- ":
        element.relations.append({"line": number})
    elif not element.relations:
        plan.problem(name, number, "A relation starts with “- TYPE:”.")
        return
    element.relations[-1][key] = value


def _finish(element: _Element, name: str, grammar: dict[str, set[str]] | None, plan: Plan) -> None:
    if element.tag == "TEXT":
        return
    allowed = DEFAULT_FIELDS
    if grammar is not None and element.tag in grammar:
        allowed = grammar[element.tag]
    elif grammar is not None and element.tag != "REQUIREMENT":
        plan.problem(name, element.line, f"[{element.tag}] is not an element of the grammar.")
        return
    for key, number in element.field_lines.items():
        if key not in allowed:
            plan.problem(name, number, f"{key} is not a field of [{element.tag}].")
    uid = element.fields.get("UID", "").strip()
    if not uid:
        plan.problem(name, element.line, f"This [{element.tag}] has no UID.")
        return
    text = next((element.fields[k] for k in TEXT_FIELDS if k in element.fields), "")
    used = {"UID", "TITLE", "TYPE", "RELATIONS", *TEXT_FIELDS}
    attributes = {k: v for k, v in element.fields.items() if k not in used}
    plan.items.append(
        PlanItem(
            uid=uid,
            type=element.fields.get("TYPE") or None,
            title=element.fields.get("TITLE", ""),
            text=text,
            attributes=attributes,
            file=name,
            line=element.line,
        )
    )
    for relation in element.relations:
        _link(uid, relation, name, plan)


def _link(uid: str, relation: dict[str, str | int], name: str, plan: Plan) -> None:
    number = int(relation["line"])
    kind_of, value = str(relation.get("TYPE", "")), str(relation.get("VALUE", "")).strip()
    if kind_of == "File":
        return
    if kind_of not in ("Parent", "Child"):
        plan.problem(name, number, f"Unknown relation type “{kind_of}” (Parent, Child, File).")
        return
    if not value:
        plan.problem(name, number, f"This {kind_of} relation has no VALUE.")
        return
    role = str(relation.get("ROLE", "")).strip().lower().replace("_", " ")
    kind = KINDS.get(role) or KINDS.get(role.replace(" ", "_"))
    if role and kind is None:
        plan.problem(name, number, f"The role “{role}” is not a kind of link.")
        return
    source, target = (uid, value) if kind_of == "Parent" else (value, uid)
    plan.links.append(PlanLink(source, target, kind, name, number))
