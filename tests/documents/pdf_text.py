"""Reading the controlled PDFs back as a reader's PDF tool would (pypdf)."""

import io

from pypdf import PdfReader


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages(pdf))


def flat(value: str) -> str:
    return " ".join(value.split())


def x_of(pdf: bytes, words: list[str]) -> dict[str, float]:
    """Where on the first page (x, in points) each of `words` starts."""
    found: dict[str, float] = {}

    def visit(content, cm, tm, font, size):
        for word in words:
            if content.strip().startswith(word) and word not in found:
                found[word] = tm[4] * cm[0] + cm[4]

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found
