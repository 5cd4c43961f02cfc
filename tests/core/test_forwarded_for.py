"""The audit IP believes X-Forwarded-For only from the configured proxies."""

import ipaddress

from openqms.core.models import AuditEvent
from openqms.testing import PASSWORD


def _sign_in(client, peer, forwarded):
    client.post(
        "/accounts/sign-in/",
        {"username": "author", "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"},
        REMOTE_ADDR=peer,
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "core.auth.signed_in"
    return event.ip


def test_behind_a_configured_proxy_the_address_is_the_one_the_proxy_saw(client, cast, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.FORWARDED_ALLOW_IPS = [ipaddress.ip_network("10.1.0.0/16")]
    assert _sign_in(client, "10.1.2.3", "6.6.6.6, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_configured_proxies_is_walked_to_the_first_untrusted_hop(client, cast, settings):
    settings.FORWARDED_ALLOW_IPS = [
        ipaddress.ip_network("10.1.0.0/16"),
        ipaddress.ip_network("192.0.2.7"),
    ]
    assert _sign_in(client, "10.1.2.3", "6.6.6.6, 203.0.113.9, 192.0.2.7") == "203.0.113.9"


def test_forwarded_for_from_any_other_peer_is_ignored(client, cast, settings):
    # OPENQMS_BEHIND_TLS_PROXY alone used to make every peer's header believed.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.FORWARDED_ALLOW_IPS = [ipaddress.ip_network("10.1.0.0/16")]
    assert _sign_in(client, "198.51.100.4", "6.6.6.6, 203.0.113.9") == "198.51.100.4"


def test_by_default_a_proxy_on_the_same_host_is_believed(client, cast):
    assert _sign_in(client, "127.0.0.1", "203.0.113.9") == "203.0.113.9"


def test_by_default_no_other_peer_is_believed(client, cast):
    assert _sign_in(client, "198.51.100.4", "203.0.113.9") == "198.51.100.4"
