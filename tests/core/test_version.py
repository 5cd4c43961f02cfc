"""An installation's validation record names the version: the page footer, the API and
the command line all say which OpenQMS this is."""

import subprocess
import sys

from openqms import __version__


def test_openqms_version_prints_the_version():
    result = subprocess.run(
        [sys.executable, "-m", "openqms", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout == f"OpenQMS {__version__}\n"


def test_every_page_footer_names_the_version(client, cast, signed_in):
    assert f"OpenQMS {__version__} · times shown" in client.get("/accounts/sign-in/").text
    assert f"OpenQMS {__version__} · times shown" in signed_in(cast.trainee).get("/").text


def test_the_api_answers_its_version(cast, signed_in):
    response = signed_in(cast.trainee).get("/api/v1/version")
    assert response.status_code == 200
    assert response.json() == {"openqms": __version__, "api": "1"}


def test_the_openapi_document_carries_the_version(cast, signed_in):
    schema = signed_in(cast.trainee).get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == __version__
