"""IEC 62304 writers: software systems and their deliverables' evidence, software items,
problem reports and the SOUP list (the SBOM reader is design.sbom)."""

from openqms.design.actions.software.problems import (  # noqa: F401
    PROBLEMS,
    close_problem,
    investigate_problem,
    link_problem,
    report_problem,
    resolve_problem,
)
from openqms.design.actions.software.soup import (  # noqa: F401
    SOUP_REVIEW,
    edit_soup,
    link_soup_risk,
    review_needs,
    review_soup,
)
from openqms.design.actions.software.systems import (  # noqa: F401
    create_software_item,
    create_system,
    edit_system,
    record_evidence,
)
