"""Every table header cell names its column (WCAG 1.3.1): a column of buttons has a
visually hidden name ("Actions"), never an empty <th>. The browser sweep
(tests/browser/test_every_page_passes_axe.py) checks the rendered pages too; this reads
every template, so a page the sweep cannot reach is covered as well."""

import re
from pathlib import Path

import openqms

EMPTY_TH = re.compile(r"<th\b[^>]*>\s*</th>")


def test_no_template_has_an_empty_table_header_cell():
    root = Path(openqms.__file__).parent
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        for match in EMPTY_TH.finditer(path.read_text())
    ]
    assert found == []
