"""CycloneDX SBOMs (JSON, spec 1.2–1.6; XML, spec 1.4–1.6) into a software system's
SOUP list.

A careful JSON read rather than cyclonedx-python-lib's deserialiser: we need only the
components' name, version, supplier, licences and purl, and we must name exactly what is
wrong in a bad file (JSON line and column, the component's position); the library's
model raises on many harmless extensions and says less. The whole file is checked before
anything is written; one audit event lists the changes, supplier, licence and purl
corrections included (an SBOM may hold 1,000 components: one event, not one per
component).

XML is read with defusedxml (no DTDs, no entities: an SBOM needs neither, and they are
how an XML file attacks its reader) into the same shape as the JSON, so both give the
same component rows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import ParseError, fromstring  # type: ignore[import-untyped]
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.design.models import SbomImport, SoftwareSystem, SoupItem, SoupState
from openqms.design.registry import EDIT

SIZE_LIMIT = 10 * 1024 * 1024
SPEC_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6")
XML_NAMESPACES = {f"http://cyclonedx.org/schema/bom/{v}": v for v in ("1.4", "1.5", "1.6")}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    supplier: str
    licence: str
    purl: str


def _refuse(file_name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{file_name}: {message} Nothing was imported.", fields={"file": message})


def _text(value: Any, limit: int) -> str:
    return str(value).strip()[:limit] if isinstance(value, str | int | float) else ""


def _licence(component: dict) -> str:
    names = []
    for entry in component.get("licenses") or []:
        if not isinstance(entry, dict):
            continue
        if entry.get("expression"):
            names.append(_text(entry["expression"], 200))
        lic = entry.get("license")
        if isinstance(lic, dict):
            names.append(_text(lic.get("id") or lic.get("name") or "", 200))
    return " AND ".join(n for n in names if n)[:300]


def _supplier(component: dict) -> str:
    for key in ("supplier", "manufacturer"):
        value = component.get(key)
        if isinstance(value, dict) and value.get("name"):
            return _text(value["name"], 200)
    return _text(component.get("publisher") or component.get("author") or "", 200)


def parse(data: bytes, file_name: str) -> tuple[str, list[Component]]:
    """The spec version and the components of a CycloneDX SBOM, JSON or XML (told apart
    by the first character: “<” is XML); InvalidInput naming the problem otherwise."""
    if len(data) > SIZE_LIMIT:
        raise _refuse(file_name, f"the file is larger than {SIZE_LIMIT // 1024 // 1024} MB.")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        spec, raw = _read_xml(data, file_name)
    else:
        spec, raw = _read_json(data, file_name)
    return spec, _components(raw, file_name)


def _read_json(data: bytes, file_name: str) -> tuple[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refuse(file_name, "not UTF-8 text (CycloneDX JSON or XML is read).") from None
    except json.JSONDecodeError as error:
        raise _refuse(
            file_name, f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}."
        ) from None
    except RecursionError:
        # json's decoder recurses per nesting level: "[" * 200000 would otherwise be a 500.
        raise _refuse(file_name, "nested too deeply to read (no SBOM nests like this).") from None
    if not isinstance(doc, dict) or doc.get("bomFormat") != "CycloneDX":
        raise _refuse(file_name, "not a CycloneDX SBOM (bomFormat is not “CycloneDX”).")
    spec = str(doc.get("specVersion") or "")
    if spec not in SPEC_VERSIONS:
        raise _refuse(
            file_name,
            f"specVersion “{spec[:20]}” is not one we read ({', '.join(SPEC_VERSIONS)}).",
        )
    return spec, doc.get("components", [])


def _components(raw: Any, file_name: str) -> list[Component]:
    if not isinstance(raw, list):
        raise _refuse(file_name, "“components” is not a list.")
    found: dict[str, Component] = {}
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise _refuse(file_name, f"component {n} is not an object.")
        name, version = _text(entry.get("name"), 200), _text(entry.get("version"), 100)
        if not name or not version:
            missing = "name" if not name else "version"
            raise _refuse(file_name, f"component {n} ({name or 'unnamed'}) has no {missing}.")
        if name.lower() in found:
            raise _refuse(file_name, f"component {n}: {name} is listed twice.")
        found[name.lower()] = Component(
            name, version, _supplier(entry), _licence(entry), _text(entry.get("purl"), 500)
        )
    return list(found.values())


def _read_xml(data: bytes, file_name: str) -> tuple[str, list[dict]]:
    """The spec version (from the namespace) and the top-level components as the dicts
    the JSON would hold (nested components are not read, as in JSON)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise _refuse(
            file_name, f"not valid XML at line {line}, column {column + 1}: {reason}."
        ) from None
    except DefusedXmlException:
        raise _refuse(
            file_name, "the XML declares a DTD or entities, which an SBOM never needs."
        ) from None
    namespace, _, tag = root.tag.rpartition("}")
    spec = XML_NAMESPACES.get(namespace.lstrip("{"))
    if tag != "bom" or spec is None:
        raise _refuse(
            file_name,
            "not a CycloneDX XML SBOM (a <bom> in the namespace "
            "http://cyclonedx.org/schema/bom/1.4, 1.5 or 1.6).",
        )
    ns = "{" + namespace.lstrip("{") + "}"
    listed = root.find(f"{ns}components")
    found = [] if listed is None else listed.findall(f"{ns}component")
    return spec, [_xml_component(c, ns) for c in found]


def _xml_component(element: Any, ns: str) -> dict:
    def text(parent: Any, tag: str) -> str:
        found = parent.find(f"{ns}{tag}") if parent is not None else None
        return (found.text or "").strip() if found is not None else ""

    out: dict[str, Any] = {
        key: text(element, key) for key in ("name", "version", "publisher", "author", "purl")
    }
    for key in ("supplier", "manufacturer"):
        out[key] = {"name": text(element.find(f"{ns}{key}"), "name")}
    licences: list[dict] = []
    listed = element.find(f"{ns}licenses")
    for entry in [] if listed is None else list(listed):
        if entry.tag == f"{ns}expression":
            licences.append({"expression": (entry.text or "").strip()})
        elif entry.tag == f"{ns}license":
            licences.append({"license": {"id": text(entry, "id"), "name": text(entry, "name")}})
    out["licenses"] = licences
    return out


@audit.writing()
def ingest_sbom(*, actor: User, system: SoftwareSystem, data: bytes, file_name: str) -> SbomImport:
    """Read the SBOM into `system`'s SOUP list: new and upgraded components need review,
    components no longer listed are marked removed. Nothing is written on any problem."""
    require(actor, EDIT)
    file_name = str(file_name or "sbom.json").strip()[:255] or "sbom.json"
    spec, components = parse(data, file_name)
    now = timezone.now()
    current = {
        s.name.lower(): s for s in SoupItem.objects.select_for_update().filter(system=system)
    }
    added: list[dict[str, str]] = []
    upgraded: list[dict[str, str]] = []
    details: list[dict[str, str]] = []
    removed: list[dict[str, str]] = []
    unchanged = 0
    creating: list[SoupItem] = []
    for c in components:
        soup = current.pop(c.name.lower(), None)
        if soup is None:
            added.append({"name": c.name, "version": c.version})
            creating.append(_new(system, c, now))
            continue
        before = (soup.version, soup.supplier, soup.licence, soup.purl, soup.state)
        was_removed = soup.state == SoupState.REMOVED
        if soup.version != c.version or was_removed:
            changed = {"name": c.name, "from": soup.version, "to": c.version}
            (added if was_removed else upgraded).append(
                {"name": c.name, "version": c.version} if was_removed else changed
            )
            soup.state = SoupState.NEEDS_REVIEW
        else:
            unchanged += 1
        details.extend(_details_changed(soup, c))
        soup.version, soup.supplier, soup.licence = c.version, c.supplier, c.licence
        soup.purl = c.purl
        if before == (soup.version, soup.supplier, soup.licence, soup.purl, soup.state):
            continue
        soup.updated_at = now
        soup.save(update_fields=["version", "supplier", "licence", "purl", "state", "updated_at"])
    SoupItem.objects.bulk_create(creating)
    gone = [s for s in current.values() if s.state != SoupState.REMOVED]
    for soup in gone:
        removed.append({"name": soup.name, "version": soup.version})
    SoupItem.objects.filter(pk__in=[s.pk for s in gone]).update(
        state=SoupState.REMOVED, updated_at=now
    )
    summary = {
        "added": added,
        "upgraded": upgraded,
        "removed": removed,
        "unchanged": unchanged,
        "changed": details,
    }
    found = SbomImport.objects.create(
        system=system,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        spec_version=spec,
        components=len(components),
        summary=summary,
        imported_at=now,
        imported_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.sbom.ingested",
        obj=found,
        changes={
            "system": [None, str(system)],
            "file": [None, file_name],
            "sha256": [None, found.sha256],
            "components": [None, len(components)],
            "counts": [
                None,
                {
                    "added": len(added),
                    "upgraded": len(upgraded),
                    "removed": len(removed),
                    "unchanged": unchanged,
                },
            ],
            "added": [None, [f"{a['name']} {a['version']}" for a in added]],
            "upgraded": [None, [f"{u['name']} {u['from']} → {u['to']}" for u in upgraded]],
            "removed": [None, [f"{r['name']} {r['version']}" for r in removed]],
            "changed": [
                None,
                [f"{c['name']} {c['field']}: “{c['from']}” → “{c['to']}”" for c in details],
            ],
        },
    )
    return found


def _details_changed(soup: SoupItem, c: Component) -> list[dict[str, str]]:
    """The supplier, licence and purl changes of a component already listed (old → new):
    the anomaly review does not cover them, so they must show in the trail instead."""
    return [
        {"name": c.name, "field": field, "from": getattr(soup, field), "to": getattr(c, field)}
        for field in ("supplier", "licence", "purl")
        if getattr(soup, field) != getattr(c, field)
    ]


def _new(system: SoftwareSystem, c: Component, now: Any) -> SoupItem:
    return SoupItem(
        system=system,
        name=c.name,
        version=c.version,
        supplier=c.supplier,
        licence=c.licence,
        purl=c.purl,
        state=SoupState.NEEDS_REVIEW,
        updated_at=now,
    )
