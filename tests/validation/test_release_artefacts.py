"""The release artefacts IQ reads: the manifest made from a wheel, the lock file, and
what IQ says when they are missing or unreadable."""

import zipfile

import pytest

import openqms
from openqms.validation import iq, lock, manifest


@pytest.mark.verifies("VAL-013")
def test_the_manifest_of_a_wheel_lists_what_it_installs_but_not_itself_or_its_record(
    tmp_path,
):
    wheel = tmp_path / "openqms-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("openqms/__init__.py", b"x")
        archive.writestr("openqms/core/__pycache__/a.cpython-311.pyc", b"c")
        archive.writestr(manifest.SELF, b"{}")
        archive.writestr("openqms-0.1.0.dist-info/METADATA", b"Name: openqms")
        archive.writestr("openqms-0.1.0.dist-info/RECORD", b"...")

    made = manifest.from_wheel(wheel, "0.1.0")

    assert made.files == {
        "openqms/__init__.py": manifest.digest([b"x"]),
        "openqms-0.1.0.dist-info/METADATA": manifest.digest([b"Name: openqms"]),
    }
    assert manifest.read(_written(tmp_path, made)) == made


def _written(folder, made):
    path = folder / "m.json"
    path.write_text(made.to_json())
    return path


@pytest.mark.verifies("VAL-014")
def test_the_packaged_lock_pins_every_dependency_with_hashes():
    text = lock.PACKAGED.read_text()
    pins = lock.parse(text)

    assert {"django", "django-ninja", "cryptography", "psycopg"} <= set(pins)
    blocks = text.split("==")[1:]
    assert len(blocks) == len(pins)
    assert all("--hash=sha256:" in block for block in blocks)


@pytest.mark.verifies("VAL-015", refusal=True)
def test_an_unreadable_manifest_or_lock_fails_iq_with_the_reason(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    odd = tmp_path / "odd.lock"
    odd.write_text("django>=5\n")

    version, files = iq.check_files(iq.Sources(manifest=bad, root=tmp_path))
    deps = iq.check_dependencies(iq.Sources(lock=odd))
    gone = iq.check_dependencies(iq.Sources(lock=tmp_path / "gone.lock"))

    assert not version.passed
    assert files.deviation == f"{bad} is not an OpenQMS release manifest (format " + (
        "openqms-release-manifest/1)"
    )
    assert deps.deviation == f"{odd} line 1: 'django>=5' is not a `name==version` pin"
    assert gone.deviation == (
        f"cannot read the lock file {tmp_path / 'gone.lock'}: No such file or directory"
    )


@pytest.mark.verifies("VAL-016")
def test_a_development_checkout_says_the_manifest_check_cannot_apply_and_how_to_get_one(
    monkeypatch, tmp_path
):
    # As a checkout is, wherever this runs (an installed release carries its manifest):
    # release/build.py removes the packaged manifest after the build.
    monkeypatch.setattr(manifest, "PACKAGED", tmp_path / "release-manifest.json")
    monkeypatch.setattr(iq, "installed_from", lambda: "an editable install of file:///src")

    version, files = iq.check_files(iq.Sources())

    assert not files.passed
    assert files.found == "none"
    assert files.deviation.startswith("This is ")
    assert "it carries no release manifest, so the installed files cannot be checked." in (
        files.deviation
    )
    assert "python3 release/build.py" in files.deviation
    assert version.found.startswith(f"OpenQMS {openqms.__version__}, ")
