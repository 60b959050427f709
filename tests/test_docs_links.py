"""Every relative link and image in the README and docs/ points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(doc: Path) -> list[str]:
    links = [m.group(1).split("#")[0] for m in LINK.finditer(doc.read_text())]
    return [x for x in links if x and not re.match(r"^[a-z]+:", x) and not x.startswith("?")]


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_links_resolve(doc: Path) -> None:
    missing = [x for x in relative_links(doc) if not (doc.parent / x).exists()]
    assert not missing, f"{doc.relative_to(ROOT)} links to missing files: {missing}"


def test_the_user_guide_shows_every_page_at_desk_and_phone_width() -> None:
    from reassess.access import PAGES

    links = set(relative_links(ROOT / "docs" / "user-guide.md"))
    for spec in PAGES:
        for width in (1440, 390):
            assert f"images/{spec.page_id}-{width}.png" in links, (spec.page_id, width)
