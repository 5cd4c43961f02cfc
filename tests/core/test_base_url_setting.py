"""OPENQMS_BASE_URL: the address emails link to; checked when read, and the deploy check
warns when it is unset (links would point at the local `openqms serve`)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from openqms.core.checks import base_url_provided
from openqms.core.mail import link
from openqms.settings import env_url


def test_the_base_url_is_read_without_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("OPENQMS_BASE_URL", "https://qms.example.com/openqms/")
    assert env_url("OPENQMS_BASE_URL") == "https://qms.example.com/openqms"


@pytest.mark.parametrize("value", ["qms.example.com", "ftp://qms.example.com", "https://"])
def test_a_base_url_that_is_not_an_address_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("OPENQMS_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="OPENQMS_BASE_URL must be an address"):
        env_url("OPENQMS_BASE_URL")


def test_the_deploy_check_warns_when_the_base_url_is_unset(settings):
    settings.BASE_URL_PROVIDED = False
    [warning] = base_url_provided(None)
    assert warning.id == "openqms.W010"
    settings.BASE_URL_PROVIDED = True
    assert base_url_provided(None) == []


def test_links_in_emails_are_absolute(settings):
    settings.BASE_URL = "https://qms.example.com"
    assert link("core:user-detail", "author") == "https://qms.example.com/admin/users/author/"
