"""Reading JUnit XML from CI (pytest, JUnit, Jest, … all write it): every test case with
its name, class name, time, properties and outcome.

The file comes from a build machine, so it is read as untrusted: through defusedxml
(well kept; no DOCTYPE, no entities, no external references — the "billion laughs" and
external-entity attacks are refused, not expanded) and no larger than MAX_BYTES.
Both a `<testsuites>` root and a single `<testsuite>` root are read; suites may nest."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from openqms.core.errors import InvalidInput

MAX_BYTES = 50 * 1024 * 1024
# A property whose value names the item the case verifies.
ITEM_PROPERTIES = ("requirement", "item", "verifies")


@dataclass(frozen=True)
class Case:
    name: str
    classname: str
    time: float | None
    outcome: str  # passed, failed, error, skipped (design.models.Outcome)
    message: str
    properties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the case is named to people: `classname.name` (or the name alone)."""
        return f"{self.classname}.{self.name}" if self.classname else self.name

    def named_ids(self) -> list[str]:
        """The item IDs the case's properties name (a value may list several)."""
        found = []
        for name, value in self.properties:
            if name.strip().lower() in ITEM_PROPERTIES:
                found += [v for v in value.replace(",", " ").split() if v]
        return found


def parse(data: bytes) -> list[Case]:
    """The test cases of a JUnit XML file, in file order; InvalidInput (with the line
    where the parser stopped) for anything that is not one."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"The file is {len(data) // (1024 * 1024)} MB; JUnit files up to "
            f"{MAX_BYTES // (1024 * 1024)} MB are read. Split the run into several files.",
            fields={"file": "Too large."},
        )
    if not data.strip():
        raise InvalidInput("The file is empty.", fields={"file": "Empty."})
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise InvalidInput(
            f"The file is not well-formed XML (line {line}, column {column + 1}): "
            f"{str(exc).split(':')[0]}.",
            fields={"file": f"Line {line}."},
        ) from exc
    except DefusedXmlException as exc:
        raise InvalidInput(
            "The file declares a DOCTYPE or entities; JUnit XML needs neither and such "
            "files are refused (they can expand to gigabytes or read local files).",
            fields={"file": "DOCTYPE or entity."},
        ) from exc
    except (LookupError, ValueError) as exc:  # after DefusedXmlException (a ValueError)
        raise InvalidInput(
            f"The file cannot be read as XML: {str(exc)[:200]}.", fields={"file": "Encoding."}
        ) from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise InvalidInput(
            f"This is not JUnit XML: the root element is <{root.tag[:60]}>, not "
            "<testsuites> or <testsuite>.",
            fields={"file": "Not JUnit."},
        )
    return [_case(element) for element in root.iter("testcase")]


def _case(element: Element) -> Case:
    outcome, message = "passed", ""
    for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        child = element.find(tag)
        if child is not None:
            outcome = name
            message = (child.get("message") or (child.text or "")).strip()[:5000]
            break
    properties = [
        (p.get("name", ""), p.get("value", p.text or ""))
        for p in element.iter("property")
        if p.get("name")
    ]
    return Case(
        name=(element.get("name") or "").strip()[:500],
        classname=(element.get("classname") or "").strip()[:500],
        time=_seconds(element.get("time")),
        outcome=outcome,
        message=message,
        properties=properties,
    )


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float((value or "").replace(",", ""))
    except ValueError:
        return None
    return seconds if 0 <= seconds < 10**9 else None
