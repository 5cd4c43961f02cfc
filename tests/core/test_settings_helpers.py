import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from openqms.settings import database_from_url, env_bool, env_int, env_list, env_networks


def test_booleans_read_the_usual_words(monkeypatch):
    for word, value in [("yes", True), ("On", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("OPENQMS_X", word)
        assert env_bool("OPENQMS_X", not value) is value


def test_a_misspelt_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("OPENQMS_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="OPENQMS_X must be true or false"):
        env_bool("OPENQMS_X", False)


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("OPENQMS_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("OPENQMS_N", 1)
    monkeypatch.setenv("OPENQMS_N", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("OPENQMS_N", 5, minimum=1)
    monkeypatch.delenv("OPENQMS_N")
    assert env_int("OPENQMS_N", 5) == 5


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("OPENQMS_L", " a.example , b.example,")
    assert env_list("OPENQMS_L", []) == ["a.example", "b.example"]


def test_database_url_is_parsed():
    db = database_from_url("postgresql://qms:s%40cret@db.internal:6543/openqms")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "openqms",
        "qms",
        "s@cret",
        "db.internal",
        "6543",
    )


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgresql://x@y/"])
def test_unsupported_database_urls_fail_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="OPENQMS_DATABASE_URL"):
        database_from_url(url)


def test_proxy_addresses_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("OPENQMS_P", "10.0.0.5, 10.1.0.0/16,::1")
    assert env_networks("OPENQMS_P", []) == [
        ipaddress.ip_network("10.0.0.5/32"),
        ipaddress.ip_network("10.1.0.0/16"),
        ipaddress.ip_network("::1/128"),
    ]
    monkeypatch.setenv("OPENQMS_P", "10.0.0.5, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match="is not an IP address or network"):
        env_networks("OPENQMS_P", [])
