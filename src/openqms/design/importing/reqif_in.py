"""ReqIF in (.reqif, or the .reqif files inside a .reqifz), read with the `reqif` package.

Spec objects become items: the attribute whose long name is ReqIF.ForeignID, UID or ID
is the UID; ReqIF.Name or Title the title; ReqIF.Text, Statement or Description the text;
TYPE/Type the item type (else the spec object type's long name when it names an item
type, else the UID's prefix); every other attribute an attribute. Spec relations become
links, source → target, the relation type's long name as the kind when it names one
("verifies", "derives from"), else the kind the link rules allow."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from reqif.parser import ReqIFParser  # type: ignore[import-untyped]

from openqms.design.actions.import_plan import Plan, PlanItem, PlanLink
from openqms.design.importing.limits import zip_problems
from openqms.design.importing.sdoc import KINDS

UID_NAMES = ("reqif.foreignid", "uid", "id")
TITLE_NAMES = ("reqif.name", "title")
TEXT_NAMES = ("reqif.text", "statement", "description")
TYPE_NAMES = ("type",)
LINE = re.compile(r"line (\d+)")


def parse_bytes(data: bytes, name: str, plan: Plan, type_words: set[str]) -> None:
    """`type_words`: item type codes and names (lower case), to read a spec object
    type's long name as the item type."""
    if name.lower().endswith(".reqifz"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as bundle:
                too_big = zip_problems(name, bundle.infolist())
                for problem in too_big:
                    plan.problem(*problem)
                if too_big:
                    return
                members = [m for m in bundle.namelist() if m.lower().endswith(".reqif")]
                if not members:
                    plan.problem(name, 0, "This .reqifz holds no .reqif file.")
                for member in members:
                    _parse(bundle.read(member), f"{name}/{member}", plan, type_words)
        except zipfile.BadZipFile:
            plan.problem(name, 0, "Not a readable .reqifz (ZIP) file.")
        return
    _parse(data, name, plan, type_words)


def _parse(data: bytes, name: str, plan: Plan, type_words: set[str]) -> None:
    try:
        etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        plan.problem(name, exc.lineno or 1, f"Malformed XML: {exc.msg}.")
        return
    try:
        bundle = ReqIFParser.parse_from_string(data.decode("utf-8"))
    except UnicodeDecodeError:
        plan.problem(name, 1, "The file is not UTF-8.")
        return
    except Exception as exc:  # the reqif package's schema errors have no common base
        found = LINE.search(str(exc))
        plan.problem(name, int(found.group(1)) if found else 1, f"Not valid ReqIF: {exc}")
        return
    content = bundle.core_content.req_if_content if bundle.core_content else None
    if content is None:
        plan.problem(name, 1, "This ReqIF file has no content.")
        return
    lookup = bundle.lookup
    uids: dict[str, str] = {}
    for spec_object in content.spec_objects or []:
        item = _item(spec_object, lookup, name, plan, type_words)
        if item is not None:
            uids[spec_object.identifier] = item.uid
            plan.items.append(item)
    for relation in content.spec_relations or []:
        line = _line(relation)
        ends = [uids.get(relation.source), uids.get(relation.target)]
        if None in ends:
            missing = relation.source if ends[0] is None else relation.target
            plan.problem(
                name,
                line,
                f"This relation names the spec object {missing}, which "
                "is not in the file (or has a problem of its own).",
            )
            continue
        kind_name = _long_name(lookup.spec_types_lookup.get(relation.relation_type_ref))
        kind = KINDS.get(kind_name.lower()) or KINDS.get(kind_name.lower().replace(" ", "_"))
        plan.links.append(PlanLink(str(ends[0]), str(ends[1]), kind, name, line))


def _line(node: Any) -> int:
    xml = getattr(node, "xml_node", None)
    return int(xml.sourceline or 0) if xml is not None else 0


def _long_name(spec: Any) -> str:
    return str(getattr(spec, "long_name", "") or "")


def _value(attribute: Any, lookup: Any, definition: Any) -> str:
    if attribute.value_stripped_xhtml is not None:
        try:
            node = etree.fromstring(f"<div>{attribute.value_stripped_xhtml}</div>")
            return "".join(node.itertext()).strip()
        except etree.XMLSyntaxError:
            return str(attribute.value_stripped_xhtml)
    if isinstance(attribute.value, list):
        data_type = lookup.data_types_lookup.get(getattr(definition, "datatype_definition", ""))
        values = getattr(data_type, "values_map", {})
        return ", ".join(
            str(getattr(values.get(ref), "long_name", None) or ref) for ref in attribute.value
        )
    return "" if attribute.value is None else str(attribute.value)


def _item(
    spec_object: Any, lookup: Any, name: str, plan: Plan, type_words: set[str]
) -> PlanItem | None:
    line = _line(spec_object)
    spec_type = lookup.spec_types_lookup.get(spec_object.spec_object_type)
    definitions = getattr(spec_type, "attribute_map", {}) or {}
    fields: dict[str, str] = {}
    for attribute in spec_object.attributes:
        definition = definitions.get(attribute.definition_ref)
        long_name = _long_name(definition) or attribute.definition_ref
        fields[long_name] = _value(attribute, lookup, definition)
    lower = {k.lower(): k for k in fields}

    def pick(names: tuple[str, ...]) -> tuple[str, str | None]:
        for candidate in names:
            if candidate in lower:
                return fields[lower[candidate]], lower[candidate]
        return "", None

    uid, uid_key = pick(UID_NAMES)
    title, title_key = pick(TITLE_NAMES)
    text, text_key = pick(TEXT_NAMES)
    type_value, type_key = pick(TYPE_NAMES)
    if not uid.strip():
        plan.problem(
            name,
            line,
            f"The spec object {spec_object.identifier} has no UID "
            "(an attribute named ReqIF.ForeignID, UID or ID).",
        )
        return None
    type_name = _long_name(spec_type)
    item_type = type_value or (type_name if type_name.lower() in type_words else None)
    used = {uid_key, title_key, text_key, type_key}
    attributes = {k: v for k, v in fields.items() if k not in used}
    return PlanItem(uid.strip(), item_type, title, text, attributes, name, line)
