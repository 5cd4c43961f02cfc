"""Every release has a CHANGELOG.md section written for customers (issue 14): New,
Changed, Fixed and Known anomalies, each known anomaly with its risk and a workaround;
`release/build.py` refuses to build a version without one."""

import re

import pytest

import openqms
from openqms.validation import changelog
from openqms.validation.changelog import HEADINGS, ChangelogError, release_section

CHANGELOG = changelog.path()


@pytest.mark.verifies("VAL-042")
def test_the_running_version_has_a_customer_section_with_every_heading():
    section = release_section(CHANGELOG.read_text(encoding="utf-8"), openqms.__version__)

    found = re.findall(r"^### (.+)$", section, flags=re.M)
    assert found[: len(HEADINGS)] == list(HEADINGS)


@pytest.mark.verifies("VAL-042")
def test_every_known_anomaly_states_its_risk_and_a_workaround():
    section = release_section(CHANGELOG.read_text(encoding="utf-8"), openqms.__version__)
    anomalies = section.split("### Known anomalies", 1)[1].split("\n### ", 1)[0]

    items = re.split(r"^- ", anomalies, flags=re.M)[1:]
    assert items
    for item in items:
        assert re.search(r"\*\*Risk: (low|medium|high)", item), item
        assert "**Workaround:**" in item, item


@pytest.mark.verifies("VAL-042", refusal=True)
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("# Changelog\n\n## [9.9.8] - 2026-01-01\n", "no section for 9.9.9"),
        (
            "## [9.9.9] - 2026-01-01\n\n### New\n\n- x\n\n### Fixed\n\n- y\n",
            "lacks Changed, Known anomalies",
        ),
        (
            "## [9.9.9] - 2026-01-01\n\n### New\n\n- x\n\n### Changed\n\n- x\n\n"
            "### Fixed\n\n- x\n\n### Known anomalies\n\n- A flaw. **Risk: low.**\n",
            "anomaly 1 of 9.9.9 names no workaround",
        ),
    ],
)
def test_a_release_without_a_proper_section_is_refused_naming_why(text, why):
    with pytest.raises(ChangelogError, match=why):
        release_section(text, "9.9.9")
