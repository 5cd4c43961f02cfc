"""A project's active items and the links between them as ReqIF 1.0 XML, so the data
can go back to a requirements tool (and back in: design.importing reads this file into
the same items and links).

One spec object type per item type (its long name is the item type's name, which the
importer reads back as the type), with ReqIF.ForeignID (the UID), ReqIF.Name (the
title), ReqIF.Text (the text) and one string attribute per attribute name used; one
spec relation type per link kind, named by the kind. Written with lxml directly: the
`reqif` package's writer needs its whole object model rebuilt for a one-way dump."""

from __future__ import annotations

from typing import BinaryIO

from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]

from openqms.design.models import DesignProject, Item, ItemState, ItemType, Link

NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
STRING = "DT-STRING"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def _ref(parent: etree._Element, wrapper: str, tag: str, ref: str) -> None:
    _el(_el(parent, wrapper), tag, ref)


def write(project: DesignProject, out: BinaryIO) -> int:
    """Write the ReqIF file to `out` (binary); the number of spec objects written."""
    now = timezone.now().isoformat(timespec="seconds")
    items = list(
        Item.objects.filter(project=project, state=ItemState.ACTIVE)
        .order_by("item_type__level", "sort_key", "uid")
        .values_list("pk", "uid", "item_type_id", "title", "text", "attributes")
    )
    active = {row[0] for row in items}
    links = [
        row
        for row in Link.objects.filter(project=project)
        .order_by("pk")
        .values_list("pk", "source_id", "kind", "target_id")
        if row[1] in active and row[3] in active
    ]
    types = {t.pk: t for t in ItemType.objects.all()}
    used_names: dict[int, list[str]] = {}
    for _pk, _uid, type_id, _title, _text, attributes in items:
        names = used_names.setdefault(type_id, [])
        names.extend(n for n in attributes if n not in names)

    root = etree.Element("REQ-IF", nsmap={None: NS})
    header = _el(_el(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER=f"openqms-{project.pk}")
    _el(header, "CREATION-TIME", now)
    _el(header, "REQ-IF-TOOL-ID", "OpenQMS")
    _el(header, "REQ-IF-VERSION", "1.0")
    _el(header, "SOURCE-TOOL-ID", "OpenQMS")
    _el(header, "TITLE", project.name)
    content = _el(_el(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    data_types = _el(content, "DATATYPES")
    _el(data_types, "DATATYPE-DEFINITION-STRING", IDENTIFIER=STRING, LAST_CHANGE=now,
        LONG_NAME="String", MAX_LENGTH="100000")  # fmt: skip
    spec_types = _el(content, "SPEC-TYPES")
    definitions: dict[tuple[int, str], str] = {}
    for type_id, names in sorted(used_names.items()):
        kind = types[type_id]
        node = _el(spec_types, "SPEC-OBJECT-TYPE", IDENTIFIER=f"SOT-{kind.code}",
                   LAST_CHANGE=now, LONG_NAME=kind.name)  # fmt: skip
        attributes = _el(node, "SPEC-ATTRIBUTES")
        for index, name in enumerate(["ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", *names]):
            identifier = f"AD-{kind.code}-{index}"
            definitions[(type_id, name)] = identifier
            definition = _el(attributes, "ATTRIBUTE-DEFINITION-STRING", IDENTIFIER=identifier,
                             LAST_CHANGE=now, LONG_NAME=name)  # fmt: skip
            _ref(definition, "TYPE", "DATATYPE-DEFINITION-STRING-REF", STRING)
    for kind_code in sorted({row[2] for row in links}):
        _el(spec_types, "SPEC-RELATION-TYPE", IDENTIFIER=f"SRT-{kind_code}", LAST_CHANGE=now,
            LONG_NAME=kind_code)  # fmt: skip
    _el(spec_types, "SPECIFICATION-TYPE", IDENTIFIER="ST-1", LAST_CHANGE=now,
        LONG_NAME="Design items")  # fmt: skip

    objects = _el(content, "SPEC-OBJECTS")
    for pk, uid, type_id, title, text, attributes in items:
        node = _el(objects, "SPEC-OBJECT", IDENTIFIER=f"SO-{pk}", LAST_CHANGE=now)
        _ref(node, "TYPE", "SPEC-OBJECT-TYPE-REF", f"SOT-{types[type_id].code}")
        values = _el(node, "VALUES")
        pairs = [("ReqIF.ForeignID", uid), ("ReqIF.Name", title), ("ReqIF.Text", text)]
        for name, value in [*pairs, *attributes.items()]:
            value_node = _el(values, "ATTRIBUTE-VALUE-STRING", THE_VALUE=value)
            _ref(value_node, "DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF",
                 definitions[(type_id, name)])  # fmt: skip
    relations = _el(content, "SPEC-RELATIONS")
    for pk, source, kind_code, target in links:
        node = _el(relations, "SPEC-RELATION", IDENTIFIER=f"SR-{pk}", LAST_CHANGE=now)
        _ref(node, "TYPE", "SPEC-RELATION-TYPE-REF", f"SRT-{kind_code}")
        _ref(node, "SOURCE", "SPEC-OBJECT-REF", f"SO-{source}")
        _ref(node, "TARGET", "SPEC-OBJECT-REF", f"SO-{target}")
    specification = _el(
        _el(content, "SPECIFICATIONS"),
        "SPECIFICATION",
        IDENTIFIER=f"SPEC-{project.pk}",
        LAST_CHANGE=now,
        LONG_NAME=project.name,
    )
    _ref(specification, "TYPE", "SPECIFICATION-TYPE-REF", "ST-1")
    children = _el(specification, "CHILDREN")
    for pk, *_rest in items:
        hierarchy = _el(children, "SPEC-HIERARCHY", IDENTIFIER=f"SH-{pk}", LAST_CHANGE=now)
        _ref(hierarchy, "OBJECT", "SPEC-OBJECT-REF", f"SO-{pk}")
    etree.ElementTree(root).write(out, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return len(items)
