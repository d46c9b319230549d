"""The README's gallery: every picture it shows is in the repository, a still for every shot
and the gif, all together under 8 MB."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from scenes.shots import SHOTS

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "gallery"


def test_readme_pictures_exist_and_are_small() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/gallery/[\w.]+", readme))
    assert {f"docs/gallery/{s.id}_480p15.png" for s in SHOTS} <= shown
    assert any(name.endswith(".gif") for name in shown)
    for name in shown:
        with Image.open(ROOT / name) as picture:
            assert picture.size[0] >= 480
    assert sum(p.stat().st_size for p in GALLERY.iterdir()) < 8 * 2**20
