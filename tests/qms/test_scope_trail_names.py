"""The audit trail names the scope's and the organisation's records, with links."""

import pytest

from openqms.core import modules
from openqms.qms.actions import organisation as org
from openqms.qms.models import ScopeNotification, ScopeVersion

from .scope_world import certified_v1_and_v2_in_force

pytestmark = pytest.mark.django_db


def test_scope_versions_notifications_and_sites_are_named(cast, django_assert_max_num_queries):
    certified_v1_and_v2_in_force(cast)
    site = org.save_site(actor=cast.qa_lead, name="Cambridge", address="Station Road")
    v2 = ScopeVersion.objects.get(number=2)
    keys = [
        ("qms.scopeversion", str(v2.pk)),
        ("qms.scopenotification", str(ScopeNotification.objects.get().pk)),
        ("qms.site", str(site.pk)),
    ]
    refs = modules.record_refs(cast.auditor, keys)
    assert [(r.label, r.url, r.readable) for r in (refs[k] for k in keys)] == [
        ("QMS scope version 2", "/qms/scope/2/", True),
        ("Approved-body notification for scope version 2", "/qms/scope/2/", True),
        ("Site Cambridge", "/qms/organisation/", True),
    ]
