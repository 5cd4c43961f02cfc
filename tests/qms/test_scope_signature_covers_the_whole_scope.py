"""Top management's signature covers the whole scope: a change to any part after signing
shows the signature as broken."""

import pytest

from openqms.core.signatures import manifestations
from openqms.qms.models import ScopeExclusion

from .scope_world import approved, drafted, family, site

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-003", refusal=True)
@pytest.mark.parametrize("part", ["statement", "family", "site", "exclusion"])
def test_a_change_after_signing_breaks_the_signature(cast, part):
    scope = approved(cast, drafted(cast))
    [signature] = manifestations(scope)
    assert signature.valid
    if part == "statement":
        scope.statement = "Something else"
        scope.save()
    elif part == "family":
        scope.families.add(family("NEW"))
    elif part == "site":
        scope.sites.add(site("Leeds"))
    else:
        ScopeExclusion.objects.filter(scope=scope).update(justification="Changed")
    [signature] = manifestations(scope)
    assert not signature.valid
    assert signature.broken
