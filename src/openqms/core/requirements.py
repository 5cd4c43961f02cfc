"""User requirements as data (issue 14): the fixed API every module uses."""

from dataclasses import dataclass
from enum import StrEnum


class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Impact(StrEnum):
    PRODUCT_QUALITY = "product quality"
    PATIENT_SAFETY = "patient safety"
    DATA_INTEGRITY = "data integrity"


@dataclass(frozen=True)
class Requirement:
    id: str
    statement: str
    clauses: tuple[str, ...]
    risk: Risk
    impacts: tuple[Impact, ...] = ()
