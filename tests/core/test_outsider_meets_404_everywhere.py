"""An account with no role meets a 404 on every page and API list of the QMS frame, the
device register and supplier control, exactly as for a missing record; the auditor
(read-only) reads every one of those pages and lists. The walk is taken over the real
URL patterns and the OpenAPI document, so a page or list added later without its access
check fails here until it is listed below."""

import datetime as dt
import io

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from openqms.core.actions import create_user
from openqms.core.demo import seed_demo
from openqms.core.models import User
from openqms.devices.models import Device
from openqms.qms.actions.certificates import CertificateData, add_certificate
from openqms.qms.models import (
    ApprovedBody,
    Certificate,
    Clause,
    Process,
    ScopeVersion,
    Site,
)
from openqms.suppliers.actions import add_certificate as add_supplier_certificate
from openqms.suppliers.models import Evaluation, OutsourcedProcess, Supplier
from openqms.testing import PASSWORD

PDF = b"%PDF-1.4\n% page\n"


def _certificate_with_file():
    data = CertificateData(
        kind="iso13485",
        number="WALK-1",
        body=ApprovedBody.objects.order_by("pk").first(),
        scope_text="Cardiac software",
        issued_on=timezone.localdate() - dt.timedelta(days=100),
        expires_on=timezone.localdate() + dt.timedelta(days=100),
    )
    return add_certificate(actor=_qa(), data=data, file=io.BytesIO(PDF))


def _supplier_certificate_with_file():
    return add_supplier_certificate(
        actor=_qa(),
        supplier=Supplier.objects.order_by("pk").first(),
        kind="iso13485",
        number="WALK-2",
        issuer="BSI",
        expires_on=timezone.localdate() + dt.timedelta(days=100),
        file_name="iso.pdf",
        file_content=io.BytesIO(PDF),
    )


def _qa():
    return User.objects.get(username="qa")


def _reads(app):
    """Every page of `app` that shows records (name -> its URL with a real object)."""
    first = {m: m.objects.order_by("pk").first() for m in (Process, Certificate, Clause)}
    if app == "qms":
        scope = ScopeVersion.objects.order_by("number").first()
        with_file = _certificate_with_file()
        return {
            "dashboard": {},
            "organisation": {},
            "scope-list": {},
            "scope": {"number": scope.number},
            "scope-redline": {"number": scope.number},
            "processes": {},
            "process-map": {},
            "process-map-svg": {},
            "process": {"pk": first[Process].pk},
            "certificates": {},
            "certificate": {"pk": first[Certificate].pk},
            "certificate-file": {"pk": with_file.pk},
            "clauses": {},
            "clause": {"number": first[Clause].number},
            "gaps": {},
            "gaps-pdf": {},
            "families": {},
        }
    if app == "devices":
        device = Device.objects.order_by("pk").first()
        return {
            "list": {},
            "device": {"pk": device.pk},
            "recognitions": {},
            "files": {},
            "family": {"code": device.family.code},
            "file-export": {"code": device.family.code, "fmt": "pdf"},
        }
    certificate = _supplier_certificate_with_file()
    return {
        "list": {},
        "detail": {"pk": Supplier.objects.order_by("pk").first().pk},
        "evaluation": {"pk": Evaluation.objects.order_by("pk").first().pk},
        "certificate-file": {"pk": certificate.pk},
        "outsourced-list": {},
        "outsourced": {"pk": OutsourcedProcess.objects.order_by("pk").first().pk},
    }


def _changes(app):
    """The pages with a form that changes records: a 404 for both, as neither may change."""
    if app == "qms":
        site = Site.objects.order_by("pk").first().pk
        scope = ScopeVersion.objects.order_by("number").first().number
        return {
            "organisation-edit": {},
            "organisation-row-new": {"kind": "site"},
            "organisation-row": {"kind": "site", "pk": site},
            "scope-edit": {"number": scope},
            "process-create": {},
            "process-edit": {"pk": Process.objects.order_by("pk").first().pk},
            "certificate-add": {},
            "certificate-edit": {"pk": Certificate.objects.order_by("pk").first().pk},
            "clause-edit": {"number": Clause.objects.order_by("pk").first().number},
            "family-edit": {"code": Device.objects.first().family.code},
        }
    if app == "devices":
        return {"create": {}, "edit": {"pk": Device.objects.order_by("pk").first().pk}}
    supplier = Supplier.objects.order_by("pk").first().pk
    outsourced = OutsourcedProcess.objects.order_by("pk").first().pk
    return {
        "create": {},
        "edit": {"pk": supplier},
        "evaluate": {"pk": supplier},
        "outsourced-create": {},
        "outsourced-edit": {"pk": outsourced},
    }


def _get_pages(app):
    """The names of `app`'s patterns that answer GET (require_POST views are wrapped)."""
    (urls,) = [p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == app]
    return {p.name for p in urls.url_patterns if not hasattr(p.callback, "__wrapped__")}


def _api_lists(client, app):
    """The API's GET endpoints of `app` that take no path parameter (its lists)."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    prefix = f"/api/v1/{app}/"
    return sorted(
        p for p, ops in paths.items() if p.startswith(prefix) and "{" not in p and "get" in ops
    )


@pytest.mark.parametrize("app", ["qms", "devices", "suppliers"])
def test_the_outsider_meets_404_and_the_auditor_reads_every_page_and_list(
    app, db, signed_in, settings
):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()  # the demo's records and people (its own auditor), then one outsider
    auditor = User.objects.get(username="auditor")
    outsider = create_user(
        actor=None,
        username="outsider",
        full_name="Olly Outsider",
        email="o@example.test",
        password=PASSWORD,
        roles=[],
        reason="test",
    )
    reads, changes = _reads(app), _changes(app)
    assert _get_pages(app) == set(reads) | set(changes)  # every page is walked
    client = signed_in(auditor)
    lists = _api_lists(client, app)
    assert lists
    for name, kwargs in reads.items():
        url = reverse(f"{app}:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 200, url
    for path in lists:
        assert client.get(path).status_code == 200, path
    client = signed_in(outsider)
    for name, kwargs in {**reads, **changes}.items():
        url = reverse(f"{app}:{name}", kwargs=kwargs)
        assert client.get(url).status_code == 404, url
    for path in lists:
        assert client.get(path).status_code == 404, path
