"""ISO 14971 risk management's writers (design.actions.risk.*): the risk file and its
acceptability criteria, hazards, hazardous situations and their estimates, controls,
residual risk evaluation, the signed risk management report, and risk reviews."""

from openqms.design.actions.risk.analysis import (  # noqa: F401
    add_control,
    add_hazard,
    add_situation,
    estimate_residual,
    evaluate_situation,
)
from openqms.design.actions.risk.files import (  # noqa: F401
    REPORT,
    create_risk_file,
    edit_risk_file,
    report_refusal,
    set_level,
    set_matrix_cell,
    sign_report,
)
from openqms.design.actions.risk.reviews import (  # noqa: F401
    close_review,
    open_review,
    record_opened,
)
from openqms.design.actions.risk.rows import (  # noqa: F401
    edit_control,
    edit_hazard,
    edit_situation,
    retire_control,
    retire_hazard,
    retire_situation,
)
