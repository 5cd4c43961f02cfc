"""The DejaVu fonts, parsed once per process for every PDF it makes.

fpdf2's `add_font` reads and parses the whole TrueType file (cmap, widths, glyph ids) for
every new document, which adds up over an archive's tens of thousands of renderings.
Here each file is parsed once; every new PDF
gets its own `TTFFont` built from that parse: the read-only tables (the cmap, the glyph
ids, the metrics) are shared, and everything fpdf2 changes while it writes a document is
new for each one: the glyphs used and their subset codes (`subset`, `missing_glyphs`), the
widths map (a defaultdict that grows on lookups), the font descriptor (which output
numbers and names) and the fontTools `TTFont` (which output subsets in place, then
closes). That `TTFont` is opened lazily from the file's bytes kept in memory, with the
glyph order and the decompiled hmtx and post tables of the parse (shallow copies: the
subset reassigns what it changes in them); the other tables the subset needs (glyf, cmap)
are decompiled for each PDF, as a subset changes them in place. The PDFs are byte for byte those
`add_font` makes (tests/core/test_pdf_font_cache.py).

This knows fpdf2's internals (fpdf/fonts.py TTFFont, fpdf/output.py _add_fonts), checked
against fpdf2 2.8; where a font would need more (a colour font), `add_font` is used.
"""

from __future__ import annotations

import copy
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

_SHARED_TABLES = ("hmtx", "post")


@dataclass(frozen=True)
class ParsedFont:
    template: TTFFont  # parsed once; never written to, never output
    data: bytes  # the font file, read once
    glyph_order: list[str]
    # Decompiled tables a subset replaces the contents of rather than changing them in
    # place (fontTools subset: hmtx.metrics and post.extraNames are reassigned), so a
    # shallow copy of each is a new table for one document.
    tables: dict[str, object]


@functools.cache
def parsed(family: str, style: str, path: Path) -> ParsedFont | None:
    """The font at `path` parsed once in this process; None where it cannot be shared."""
    scratch = FPDF()
    scratch.add_font(family, style, path)
    template = scratch.fonts[f"{family.lower()}{style}"]
    if not isinstance(template, TTFFont) or template.color_font or template.is_compressed:
        return None
    font = template.ttfont
    tables = {tag: font[tag] for tag in _SHARED_TABLES if tag in font}
    glyph_order = font.getGlyphOrder()
    font.close()
    return ParsedFont(template, path.read_bytes(), glyph_order, tables)


def add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """`pdf.add_font(family, style, path)`, from the parse this process already made."""
    shared = parsed(family, style, path)
    if shared is None:
        pdf.add_font(family, style, path)
        return
    template = shared.template
    font = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(template, name):
            setattr(font, name, getattr(template, name))
    # What writing one document changes, new for each document:
    font.i = len(pdf.fonts) + 1
    font.cw = copy.copy(template.cw)
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.ttfont = ttLib.TTFont(io.BytesIO(shared.data), lazy=True, recalcTimestamp=False)
    font.ttfont.setGlyphOrder(list(shared.glyph_order))
    for tag, table in shared.tables.items():
        font.ttfont.tables[tag] = copy.copy(table)
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
