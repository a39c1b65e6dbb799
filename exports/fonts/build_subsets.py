"""Regenerate the cut-down fonts in this folder from the Debian font packages.

    apt-get install fonts-dejavu-core fonts-droid-fallback fonts-symbola
    .venv/bin/python exports/fonts/build_subsets.py

Run by hand when a font is updated; the results are committed. See README.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")

#: What the main ("core") DejaVu fonts keep: Latin, IPA, combining marks, Vietnamese, punctuation,
#: currency, letterlike, number forms, arrows, maths, technical, enclosed, box drawing, shapes,
#: miscellaneous symbols, dingbats, ligatures and U+FFFD.
CORE = [(0x20, 0x7E), (0xA0, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x23FF), (0x2460, 0x257F),
        (0x25A0, 0x27BF), (0xFB00, 0xFB06), (0xFFFD, 0xFFFD)]


def _subset(source: Path, target: Path, unicodes) -> None:
    font = TTFont(source)
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_legacy = True
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {len(TTFont(target).getBestCmap())} characters, {target.stat().st_size:,} bytes")


def _level(ch: str, codec: str, low: int, high: int) -> bool:
    try:
        raw = ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return len(raw) == 2 and low <= raw[0] <= high


def main() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copyfile(DEJAVU / name, HERE / name)
    core = [cp for low, high in CORE for cp in range(low, high + 1)]
    _subset(DEJAVU / "DejaVuSans.ttf", HERE / "DejaVuSans-core.ttf", core)
    _subset(DEJAVU / "DejaVuSans-Bold.ttf", HERE / "DejaVuSans-Bold-core.ttf", core)

    dejavu = set(TTFont(DEJAVU / "DejaVuSans.ttf").getBestCmap()) & set(
        TTFont(DEJAVU / "DejaVuSans-Bold.ttf").getBestCmap())
    # Droid Sans Fallback, split by how common a character is: part 1 has everything that is not
    # a Han character plus the 3,755 most common simplified Chinese ones (GB 2312 level 1); part 2
    # the other common Japanese (JIS level 1) and traditional Chinese (Big5 common) ones; part 3
    # the rest. Most documents load part 1 at most.
    parts: list[set[int]] = [set(), set(), set()]
    for cp in set(TTFont(DROID).getBestCmap()) - dejavu:
        ch = chr(cp)
        han = 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000
        if not han or _level(ch, "gb2312", 0xB0, 0xD7):
            parts[0].add(cp)
        elif _level(ch, "euc_jp", 0xB0, 0xCF) or _level(ch, "big5", 0xA4, 0xC6):
            parts[1].add(cp)
        else:
            parts[2].add(cp)
    for i, part in enumerate(parts, start=1):
        _subset(DROID, HERE / f"DroidSansFallback-{i}.ttf", part)
    _subset(SYMBOLA, HERE / "Symbola-subset.ttf", set(TTFont(SYMBOLA).getBestCmap()) - dejavu)


if __name__ == "__main__":
    main()
