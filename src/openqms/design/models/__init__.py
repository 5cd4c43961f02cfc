"""Design controls' models, one file per area."""

# --- shared (skeleton)
from openqms.design.models.baselines import (  # noqa: F401
    Baseline,
    BaselineItem,
    BaselineKind,
    BaselineLink,
    BaselineState,
)
from openqms.design.models.evidence import Outcome, TestResult, TestRun  # noqa: F401
from openqms.design.models.project import (  # noqa: F401
    CoverageRule,
    DesignProject,
    Gap,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkKind,
    LinkRule,
    LinkState,
)

# --- trace
# --- imports
# --- evidence
# --- baselines
from openqms.design.models.reviews import (  # noqa: F401
    ChangeState,
    DesignChange,
    DesignPhase,
    DesignReview,
    ParticipantRole,
    PhaseState,
    ReviewFinding,
    ReviewOutcome,
    ReviewParticipant,
    ReviewState,
    SignState,
)

# --- pages
# --- risk
from openqms.design.models.risk import (  # noqa: F401
    ControlKind,
    ControlMeasure,
    Hazard,
    HazardousSituation,
    MatrixCell,
    ProbabilityLevel,
    Region,
    ReportState,
    RiskFile,
    RiskReview,
    RiskReviewOutcome,
    SeverityLevel,
)

# --- software
from openqms.design.models.software import (  # noqa: F401
    DELIVERABLES,
    DeliverableEvidence,
    ProblemReport,
    ProblemState,
    SafetyClass,
    SbomImport,
    SoftwareItem,
    SoftwareSystem,
    SoupItem,
    SoupState,
)
