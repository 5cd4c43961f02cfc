"""The dashboard's trace panel: open gaps per project, for anyone with a role."""

import pytest

from openqms.design.panels import gap_panel
from tests.design.conftest import item


@pytest.mark.verifies("DES-014")
def test_the_panel_counts_each_projects_open_gaps(cast, project):
    item(cast, project, "UN-1", "user_need")
    (panel,) = gap_panel(cast.auditor)
    assert panel.context["rows"] == [
        {"name": "RhythmCheck", "gaps": 2, "url": f"/design/projects/{project.pk}/trace/"}
    ]


@pytest.mark.verifies("DES-014")
def test_an_outsider_sees_no_panel(cast, project):
    assert gap_panel(cast.outsider) == []


@pytest.mark.verifies("DES-014")
def test_the_dashboard_shows_it(cast, project, signed_in):
    item(cast, project, "UN-1", "user_need")
    page = signed_in(cast.qa_lead).get("/qms/")
    assert "Open gaps of the design trace, per project" in page.content.decode()
