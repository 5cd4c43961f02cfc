"""Document numbers and revision labels: the one rule, used by the create page, the API
and the legacy import alike (ISO 13485 4.2.4 c: documents uniquely identified).

A type with the prefix POL and 3 digits numbers its documents POL-001, POL-002…: the
prefix, a hyphen and exactly that many digits. A number given by hand (a legacy number
kept on import or on the create page) must have the same shape, so it is safe in every
address and file name ("/" or spaces never reach a number). Only ASCII letters and the
digits 0-9 count: "SOP-１２３" (full-width) or "SOP-٠٠٧" (Arabic-Indic) would look like
another document's number on screen, so they are refused. A revision label is letters
(A, B, … AA) or a number (1, 2, …) as the type's scheme says, at most 10 characters.
"""

from __future__ import annotations

import re

from openqms.core.errors import InvalidInput
from openqms.documents.models import DocumentType, RevisionScheme

LABEL_LENGTH = 10  # Revision.label


def number_pattern(doc_type: DocumentType) -> re.Pattern[str]:
    # [0-9], not \d: \d matches any Unicode decimal digit, and int() reads them.
    return re.compile(rf"{re.escape(doc_type.prefix)}-[0-9]{{{doc_type.digits}}}", re.ASCII)


def number_problem(doc_type: DocumentType, number: str) -> str | None:
    """Why `number` cannot number a document of `doc_type`, or None if it can."""
    if number.isascii() and number_pattern(doc_type).fullmatch(number):
        return None
    example = doc_type.format_number(1)
    return (
        f"the number “{number}” does not fit the {doc_type.name} numbering: "
        f"{doc_type.prefix}, a hyphen and {doc_type.digits} digit(s), e.g. {example}"
    )


def label_problem(doc_type: DocumentType, label: str) -> str | None:
    """Why `label` cannot be a revision label of `doc_type`, or None if it can."""
    if len(label) > LABEL_LENGTH:
        return f"the revision “{label}” is longer than {LABEL_LENGTH} characters"
    try:
        sequence_of(label, doc_type.revision_scheme)
    except ValueError as exc:
        return str(exc)
    return None


def sequence_of(label: str, scheme: str) -> int:
    """The position of a revision label: A → 1, AA → 27; '3' → 3 for numbered types."""
    label = label.strip().upper()
    if scheme == RevisionScheme.NUMBERS:
        if not label.isascii() or not label.isdigit() or int(label) < 1:
            raise ValueError(f"revision {label!r} is not a number")
        return int(label)
    if not label.isalpha() or not label.isascii():
        raise ValueError(f"revision {label!r} is not a letter revision (A, B, … AA)")
    sequence = 0
    for char in label:
        sequence = sequence * 26 + (ord(char) - ord("A") + 1)
    return sequence


def validate_number(doc_type: DocumentType, number: str) -> str:
    """The number, upper-cased, or InvalidInput naming the field."""
    number = number.strip()
    # Checked before upper(): "ﬁ".upper() is "FI" and "ſ".upper() is "S".
    number = number.upper() if number.isascii() else number
    problem = number_problem(doc_type, number)
    if problem:
        raise InvalidInput(problem[0].upper() + problem[1:] + ".", fields={"number": "Not valid."})
    return number
