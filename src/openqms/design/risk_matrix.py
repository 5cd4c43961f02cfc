"""Risk acceptability: which region (acceptable, reduce as far as possible, unacceptable)
a severity × probability pair falls in under a risk file's configured matrix (ISO 14971
4.4 d), and how P1 × P2 combine into one probability level.

The combination rule (stated in the admin guide): the combined probability rank is the
lower of the two ranks. P = P1 × P2 can never exceed the smaller factor, and the scales
are ordinal (ranks, not numbers), so we credit no more than that: the estimate errs on
the side of a higher probability, never a lower one."""

from __future__ import annotations

from openqms.design.models import MatrixCell, Region, RiskFile

# The default 5 × 5 criteria a new risk file starts from; the QA lead adapts them to the
# plan. Rank 1 is the least severe / least likely.
DEFAULT_SEVERITIES = [
    (1, "Negligible", "Inconvenience or temporary discomfort; no injury."),
    (2, "Minor", "Temporary injury or impairment not needing medical intervention."),
    (3, "Serious", "Injury or impairment needing medical intervention."),
    (4, "Critical", "Permanent impairment or life-threatening injury."),
    (5, "Catastrophic", "Death."),
]
DEFAULT_PROBABILITIES = [
    (1, "Improbable", "Less than 1 in 1,000,000 uses."),
    (2, "Remote", "1 in 100,000 to 1 in 1,000,000 uses."),
    (3, "Occasional", "1 in 10,000 to 1 in 100,000 uses."),
    (4, "Probable", "1 in 1,000 to 1 in 10,000 uses."),
    (5, "Frequent", "More than 1 in 1,000 uses."),
]


def default_region(severity: int, probability: int) -> str:
    """The seeded matrix: a score of severity + probability up to 5 is acceptable, 6 or 7
    is to be reduced as far as possible, 8 and above unacceptable."""
    score = severity + probability
    if score <= 5:
        return Region.ACCEPTABLE
    if score <= 7:
        return Region.ALARP
    return Region.UNACCEPTABLE


def combine(p1: int, p2: int) -> int:
    """The probability rank of P1 × P2: the lower of the two ranks (module docstring)."""
    return min(p1, p2)


def regions(file: RiskFile) -> dict[tuple[int, int], str]:
    """The whole matrix of `file`, (severity, probability) → region, in one query."""
    cells = MatrixCell.objects.filter(file=file).values_list("severity", "probability", "region")
    return {(s, p): r for s, p, r in cells}


def region(file: RiskFile, severity: int, probability: int) -> str:
    """The region of one pair under `file`'s matrix. A pair without a cell (a scale grew
    and nobody placed it yet) counts as unacceptable: never acceptable by omission."""
    found = MatrixCell.objects.filter(file=file, severity=severity, probability=probability)
    return found.values_list("region", flat=True).first() or Region.UNACCEPTABLE
