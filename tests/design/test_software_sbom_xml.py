"""CycloneDX XML SBOMs (spec 1.4–1.6) read into the SOUP list as JSON ones are: the same
component rows from the command, the page and the API; malformed XML names its line; a
DTD or entity is refused (defusedxml); nothing is written on any problem."""

import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from openqms.core.errors import InvalidInput
from openqms.design.models import SbomImport, SoupItem
from openqms.design.sbom import SIZE_LIMIT, ingest_sbom, parse
from openqms.testing import changes_of, event_count, last_event
from tests.design.test_software_api import Api
from tests.design.test_software_systems import device, system  # noqa: F401

pytestmark = pytest.mark.verifies("DES-051")

FILES = Path(__file__).parent / "files"
JSON = (FILES / "sbom-first.json").read_bytes()
XML = (FILES / "sbom-first.xml").read_bytes()


def rows(system):  # noqa: F811
    fields = ("name", "version", "supplier", "licence", "purl", "state")
    return sorted(SoupItem.objects.filter(system=system).values_list(*fields))


def bom(components, version="1.6", head=""):
    return (
        f'<?xml version="1.0"?>{head}\n<bom xmlns="http://cyclonedx.org/schema/bom/{version}">'
        f"\n<components>{components}</components>\n</bom>\n"
    ).encode()


def refused(cast, system, data, match):  # noqa: F811
    before = (event_count(), SbomImport.objects.count(), rows(system))
    with pytest.raises(InvalidInput, match=match) as caught:
        ingest_sbom(actor=cast.author, system=system, data=data, file_name="sbom.xml")
    assert (event_count(), SbomImport.objects.count(), rows(system)) == before
    return caught.value.message


def test_an_xml_sbom_gives_the_same_components_as_its_json_twin():
    assert parse(XML, "sbom.xml") == ("1.5", parse(JSON, "sbom.json")[1])


@pytest.mark.parametrize("version", ["1.4", "1.5", "1.6"])
def test_each_xml_spec_version_is_read_with_suppliers_and_licences(version):
    component = (
        '<component type="library"><manufacturer><name>Acme</name></manufacturer>'
        "<name>libecg</name><version>2.0</version><licenses>"
        "<expression>MIT OR Apache-2.0</expression></licenses>"
        "<purl>pkg:generic/libecg@2.0</purl></component>"
        '<component type="library"><publisher>Zed</publisher><name>zlib</name>'
        "<version>1.3</version><licenses><license><name>zlib licence</name></license>"
        "</licenses></component>"
    )
    spec, found = parse(bom(component, version), "sbom.xml")
    assert spec == version
    assert [(c.name, c.version, c.supplier, c.licence, c.purl) for c in found] == [
        ("libecg", "2.0", "Acme", "MIT OR Apache-2.0", "pkg:generic/libecg@2.0"),
        ("zlib", "1.3", "Zed", "zlib licence", ""),
    ]


def test_the_command_reads_an_xml_sbom_into_the_soup_list(cast, system, tmp_path):  # noqa: F811
    path = tmp_path / "sbom.xml"
    path.write_bytes(XML)
    out = io.StringIO()
    call_command(
        "evidence", "sbom", str(path), "--system", str(system.pk), "--as", "author", stdout=out
    )
    assert "8 components" in out.getvalue() and "8 added" in out.getvalue()
    found = SbomImport.objects.get()
    assert (found.spec_version, found.file_name) == ("1.5", "sbom.xml")
    event = last_event()
    assert event.action == "design.sbom.ingested"
    assert changes_of(event)["counts"] == [
        None,
        {"added": 8, "upgraded": 0, "removed": 0, "unchanged": 0},
    ]


def test_the_page_and_the_api_read_xml_as_json_is_read(cast, client, system, signed_in):  # noqa: F811
    page = signed_in(cast.author)
    upload = SimpleUploadedFile("sbom.xml", XML, content_type="application/xml")
    response = page.post(f"/design/software/{system.pk}/sboms/upload/", {"file": upload})
    assert response.status_code == 302
    from_xml = rows(system)
    SoupItem.objects.filter(system=system).delete()
    answer = Api(client, cast.author).post(f"/software-systems/{system.pk}/sbom", raw=JSON)
    assert answer.status_code == 201
    assert rows(system) == from_xml


def test_malformed_xml_names_the_line_and_writes_nothing(cast, system):  # noqa: F811
    broken = XML.replace(b"<version>1.11.4</version>", b"<version>1.11.4</versoin>")
    message = refused(cast, system, broken, "not valid XML at line 27")
    assert message.endswith("Nothing was imported.")


@pytest.mark.verifies("DES-051", refusal=True)
def test_an_xml_sbom_with_an_entity_is_refused(cast, system):  # noqa: F811
    laughs = '<!DOCTYPE bom [<!ENTITY lol "lol">]>'
    data = bom("<component><name>&lol;</name><version>1</version></component>", head=laughs)
    refused(cast, system, data, "declares a DTD or entities")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b'<bom xmlns="http://cyclonedx.org/schema/bom/1.3"/>', "not a CycloneDX XML SBOM"),
        (b"<sbom/>", "not a CycloneDX XML SBOM"),
        (bom("<component><name>x</name></component>"), r"component 1 \(x\) has no version"),
        (bom("<component><name>x</name><version>1</version></component>" * 2), "listed twice"),
    ],
)
def test_an_xml_file_that_is_not_a_usable_sbom_is_refused(cast, system, data, match):  # noqa: F811
    refused(cast, system, data, match)


def test_an_xml_sbom_over_the_size_limit_is_refused_before_reading(cast, system):  # noqa: F811
    data = bom("<!--" + "x" * SIZE_LIMIT + "-->")
    refused(cast, system, data, "larger than 10 MB")


WORD = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), max_codepoint=0xFFFD),
    min_size=1,
    max_size=20,
)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(WORD, st.tuples(WORD, WORD, WORD), max_size=6))
def test_any_components_read_the_same_from_xml_and_json(components):
    listed = [
        {"name": n, "version": v, "supplier": {"name": s}, "licenses": [{"license": {"id": lic}}]}
        for n, (v, s, lic) in components.items()
    ]
    as_json = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": listed})
    as_xml = bom(
        "".join(
            f"<component><supplier><name>{escape(c['supplier']['name'])}</name></supplier>"
            f"<name>{escape(c['name'])}</name><version>{escape(c['version'])}</version>"
            f"<licenses><license><id>{escape(c['licenses'][0]['license']['id'])}</id>"
            "</license></licenses></component>"
            for c in listed
        )
    )
    try:
        expected = parse(as_json.encode(), "sbom.json")
    except InvalidInput as refusal:  # e.g. two names equal but for case: refused alike
        with pytest.raises(InvalidInput) as caught:
            parse(as_xml, "sbom.xml")
        assert caught.value.message.replace("sbom.xml", "sbom.json") == refusal.message
    else:
        assert parse(as_xml, "sbom.xml") == expected


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300).map(lambda b: b"<" + b))
def test_any_bytes_starting_like_xml_give_components_or_a_clear_refusal(data):
    try:
        spec, found = parse(data, "sbom.xml")
    except InvalidInput as refusal:
        assert refusal.message.startswith("sbom.xml: ")
    else:
        assert spec in ("1.4", "1.5", "1.6") and isinstance(found, list)
