"""The follow-up PDF a team takes home, drawn with fpdf2. Imports no streamlit.

``build_pdf(snapshot, progress=None) -> bytes``. The snapshot comes from
:func:`exports.snapshot.snapshot` or from a backup file.

Text handling, in one place (:class:`Report`):

* Fonts are bundled in ``exports/fonts``: DejaVu Sans (regular, bold) for text,
  with Droid Sans Fallback (Chinese, Japanese, Korean) and Symbola (emoji,
  symbols) as fallbacks. A fallback font is only loaded into a document that
  needs it. A character that no bundled font can draw becomes a visible U+FFFD
  (the replacement character); the rest of the line is kept. Control, zero-width
  and bidi-override characters are dropped; a single text longer than
  ``MAX_TEXT`` characters is cut with a visible note.
* fpdf2's ``multi_cell`` breaks lines in quadratic time (about 3 ms a note), far
  too slow for 4,000 notes, so we wrap text ourselves with the fonts' advance
  widths (linear, word widths cached) and place each line with ``FPDF.text``.
  Runs of fallback glyphs are placed with their own font.
* Right-to-left lines (Arabic, Hebrew) are shaped and reordered by fpdf2's text
  shaping (HarfBuzz, ``uharfbuzz``) when it is installed; without it they are
  reordered with fpdf2's bidi algorithm, unjoined.
* Text is never interpreted: HTML and Markdown are printed as typed.

Charts are fpdf2 vector drawing (rectangles, lines, text): no browser.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from fpdf import FPDF

from canvas_models.spec import of_step
import layouts
from exports.snapshot import confidential_steps, live_actions, parse_date, participants_by_id
from exports import palette
from messages import ORG_SHORT, ORG_TYPES, dutch_date, number as _num, plural, t
from workshop import settings

FONT_DIR = Path(__file__).resolve().parent / "fonts"
#: The main text fonts: DejaVu Sans cut down to Latin, punctuation and common symbols
#: (fonts/README.md). Small fonts load and embed fast; anything else comes from the fallbacks.
MAIN_FONTS = {"": "DejaVuSans-core.ttf", "B": "DejaVuSans-Bold-core.ttf"}
#: Fallback families in the order they are tried, each as {style: file}. The full DejaVu Sans
#: comes first (Greek, Cyrillic, Arabic, Hebrew, many symbols), then Droid Sans Fallback
#: (Chinese, Japanese, Korean), split in three by how common the characters are because a
#: font costs time in proportion to its size, and Symbola (emoji and symbols). A family is
#: only loaded into a document that needs it; a bold text uses the regular file when a
#: family has no bold one.
FALLBACK_FONTS = (
    ("sansfull", {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}),
    ("cjka", {"": "DroidSansFallback-1.ttf"}),
    ("cjkb", {"": "DroidSansFallback-2.ttf"}),
    ("cjkc", {"": "DroidSansFallback-3.ttf"}),
    ("symbols", {"": "Symbola-subset.ttf"}),
)
MAIN = "sans"
REPLACEMENT = "\ufffd"
#: Longest text printed from a single field; longer is cut with a visible note.
MAX_TEXT = 10_000

Progress = Callable[[float, str], None]

# ---------------------------------------------------------------- colours
INK = (33, 37, 41)
MUTED = (98, 106, 114)
PRIMARY = (0, 90, 100)
ACCENT = (214, 110, 20)
RULE = (200, 208, 212)
SHADE = (238, 243, 244)
#: The screen's colours (exports/palette.py), as fpdf2 wants them.
ORG_COLOURS = {org: palette.rgb(colour) for org, colour in palette.ORG_COLOURS.items()}
OVERALL_COLOUR = palette.rgb(palette.OVERALL)


# ------------------------------------------------------------ text cleanup
_DROP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufe00-\ufe0f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _ranges(codepoints: Iterable[int]) -> str:
    """A regex character class body for a set of code points."""
    cps = sorted(cp for cp in set(codepoints) if cp > 0x20 and not 0xD800 <= cp <= 0xDFFF)
    parts: list[str] = []
    start = prev = None
    for cp in cps:
        if start is None:
            start = prev = cp
        elif cp == prev + 1:
            prev = cp
        else:
            parts.append(_span(start, prev))
            start = prev = cp
    if start is not None:
        parts.append(_span(start, prev))
    return "".join(parts)


def _span(a: int, b: int) -> str:
    esc = lambda cp: re.escape(chr(cp))  # noqa: E731
    return esc(a) if a == b else f"{esc(a)}-{esc(b)}"


@lru_cache(maxsize=None)
def _coverage(filename: str) -> frozenset[int]:
    """Code points a bundled font can draw (read once per process)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / filename), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@lru_cache(maxsize=None)
def _main_coverage() -> tuple[frozenset[int], re.Pattern]:
    """Code points both main fonts draw, and a regex finding any character outside them."""
    both = _coverage(MAIN_FONTS[""]) & _coverage(MAIN_FONTS["B"])
    return both, re.compile(f"[^ \n{_ranges(both)}]")


def clean_text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text as we print it: NFC, no control or invisible characters, at most ``limit`` characters.

    Characters that no bundled font can draw are replaced by U+FFFD later, when
    the fonts are known (:meth:`Report.prep`).
    """
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[:limit] + " " + t("pdf.cut", count=len(text) - limit)
    text = _SURROGATE.sub(REPLACEMENT, text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _DROP.sub("", text)


def _fallback_coverage() -> list[tuple[str, dict[str, str], frozenset[int]]]:
    return [(family, files, _coverage(files[""])) for family, files in FALLBACK_FONTS]


# ------------------------------------------------------------------ report
class Report(FPDF):
    """An A4 report with our own fast, Unicode-safe text layout."""

    MARGIN = 18.0
    TOP = 18.0
    BOTTOM = 18.0

    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(self.MARGIN, self.TOP, self.MARGIN)
        self.set_auto_page_break(False)
        self.set_creator("Samenspraak")
        self.set_title(clean_text(title, 200))
        self.set_lang("nl")
        for style, name in MAIN_FONTS.items():
            self.add_font(MAIN, style, str(FONT_DIR / name))
        self._main_cw = {style: self.fonts[MAIN + style].cw for style in MAIN_FONTS}
        self._main_cmap = {style: self.fonts[MAIN + style].cmap for style in MAIN_FONTS}
        self._loaded_fallbacks: list[str] = []
        #: font key -> (family, style) for every font of this document
        self._font_of: dict[str, tuple[str, str]] = {MAIN + st: (MAIN, st) for st in MAIN_FONTS}
        self._word_cache: dict[tuple[str, str], float] = {}
        self._translate: dict[str, tuple[dict[int, str], set[str]]] = {}
        #: Lines of text placed (the benchmark compares with a plain fpdf2 document of as many lines).
        self.lines_drawn = 0
        self._font_state: tuple | None = None
        self._colour: tuple | None = None
        self._hb = _have_harfbuzz()
        self._outside = _main_coverage()[1]
        self.body_size = 9.0
        self.chapter = ""
        #: Line height and spacing of text and tables, as a factor (below 1 to pull a few lines back
        #: onto the page before: :meth:`_Builder.step`).
        self.squeeze = 1.0

    # ------------------------------------------------------------ state
    def colour(self, rgb: tuple[int, int, int]) -> None:
        """Text colour. Also used as the fill colour, so that a line of text needs no
        ``q rg ... Q`` wrapper (fpdf2 adds one whenever text and fill colour differ)."""
        if rgb == self._colour:
            return
        device = _device(rgb)
        self.set_text_color(device)
        self.set_fill_color(device)
        self._colour = rgb

    def fill(self, rgb: tuple[int, int, int]) -> None:
        """Fill colour for shapes (the next :meth:`colour` call sets the text colour again)."""
        self.set_fill_color(_device(rgb))
        self._colour = None

    def use_font(self, family: str, style: str, size: float) -> None:
        """``set_font`` with a cheap check first (we switch fonts for every bullet and run)."""
        state = (family, style, size)
        if state != self._font_state:
            self.set_font(family, style, size)
            self._font_state = state

    def add_page(self, *args, **kwargs) -> None:
        super().add_page(*args, **kwargs)
        self._font_state = None
        self._colour = None

    # ------------------------------------------------------------ chrome
    @property
    def content_width(self) -> float:
        return self.w - 2 * self.MARGIN

    @property
    def bottom(self) -> float:
        return self.h - self.BOTTOM

    def footer(self) -> None:
        """Nothing while pages are filled: :meth:`finish_pages` draws every footer at the end,
        when the number of pages is known (cheaper than fpdf2's page-count alias in a cell)."""

    def finish_pages(self) -> None:
        """Draw the footer (title, rule, 'pagina X van Y') on every page but the cover."""
        total, last = self.page_no(), self.page
        size = 7.5
        title = self.wrap(self.prep(self.report_title, ""), self.content_width - 45, size, "")
        title = title[0] if title else ""
        k, y_rule = self.k, self.h - 13
        rule = (f"q {_device(RULE).serialize().upper()} 0.57 w {self.MARGIN * k:.2f} {(self.h - y_rule) * k:.2f} m "
                f"{(self.w - self.MARGIN) * k:.2f} {(self.h - y_rule) * k:.2f} l S Q")
        self.colour(MUTED)  # makes emit() skip its own colour wrapper; each footer sets its colour
        for number in range(2, total + 1):
            self.page = number
            self.current_font_is_set_on_page = False
            self._font_state = None
            self._out(rule)
            self._out(f"q {_device(MUTED).serialize().lower()}")
            self.draw_line(self.MARGIN, self.h - 9, title, "", size)
            label = self.prep(t("pdf.page", page=number, pages=total))
            self.draw_line(self.w - self.MARGIN - 45, self.h - 9, label, "", size, 45, "R")
            self._out("Q")
            self.lines_drawn -= 2
        self.page = last
        self.current_font_is_set_on_page = False
        self._font_state = None

    # ------------------------------------------------------------- fonts
    def prep(self, value: Any, style: str = "", limit: int = MAX_TEXT) -> str:
        """Clean text and make sure every character can be drawn (U+FFFD otherwise)."""
        text = clean_text(value, limit)
        covered, outside = _main_coverage()
        if not outside.search(text):
            return text
        out = []
        for ch in text:
            cp = ord(ch)
            if cp in covered or ch in " \n" or cp in self._main_cmap[style]:
                out.append(ch)
                continue
            for family, files, cov in _fallback_coverage():
                if cp in cov:
                    self._need_fallback(family, files, style)
                    out.append(ch)
                    break
            else:
                out.append(REPLACEMENT)
        return "".join(out)

    def _need_fallback(self, family: str, files: dict[str, str], style: str) -> None:
        style = style if style in files else ""
        key = family + style
        if key not in self._font_of:
            self.add_font(family, style, str(FONT_DIR / files[style]))
            self._font_of[key] = (family, style)
            self._loaded_fallbacks.append(key)

    def _font_for(self, ch: str, style: str) -> str:
        """Font key of the font that draws ``ch`` in ``style`` (after :meth:`prep`)."""
        cp = ord(ch)
        if cp in self._main_cmap[style]:
            return MAIN + style
        found = None
        for key in self._loaded_fallbacks:
            if cp in self.fonts[key].cmap:
                if self._font_of[key][1] == style:
                    return key
                found = found or key
        return found or MAIN + style  # U+FFFD and space are in the main font

    def _char_width(self, ch: str, style: str) -> float:
        key = self._font_for(ch, style)
        return self.fonts[key].cw[ord(ch)]

    def word_width(self, word: str, style: str) -> float:
        """Width of a word in 1/1000 em."""
        key = (style, word)
        width = self._word_cache.get(key)
        if width is None:
            cw = self._main_cw[style]
            if not self._outside.search(word):
                width = float(sum(map(cw.__getitem__, map(ord, word))))
            else:
                width = float(sum(self._char_width(c, style) for c in word))
            if len(word) < 40:
                self._word_cache[key] = width
        return width

    # ------------------------------------------------------------ layout
    def wrap(self, text: str, width_mm: float, size: float, style: str) -> list[str]:
        """Greedy line breaking of prepared text; words longer than a line are split."""
        limit = width_mm * self.k * 1000 / size  # in 1/1000 em
        space = self._main_cw[style][32]
        lines: list[str] = []
        for para in text.split("\n"):
            words = para.split(" ")
            line: list[str] = []
            line_w = 0.0
            for word in words:
                if not word:
                    continue
                w = self.word_width(word, style)
                if line and line_w + space + w <= limit:
                    line.append(word)
                    line_w += space + w
                    continue
                if line:
                    lines.append(" ".join(line))
                    line, line_w = [], 0.0
                if w <= limit:
                    line, line_w = [word], w
                    continue
                # A word wider than the line: split it between characters.
                chunk: list[str] = []
                chunk_w = 0.0
                for ch in word:
                    cw = self._char_width(ch, style)
                    if chunk and chunk_w + cw > limit:
                        lines.append("".join(chunk))
                        chunk, chunk_w = [], 0.0
                    chunk.append(ch)
                    chunk_w += cw
                line, line_w = (["".join(chunk)], chunk_w) if chunk else ([], 0.0)
            if line:
                lines.append(" ".join(line))
            elif not words or all(not w for w in words):
                lines.append("")
        return lines

    def text_width(self, text: str, size: float, style: str = "") -> float:
        return sum(self.word_width(w, style) for w in text.split(" ")) * size / 1000 / self.k + (
            text.count(" ") * self._main_cw[style][32] * size / 1000 / self.k)

    def draw_line(self, x: float, baseline: float, line: str, style: str, size: float,
                  width: float | None = None, align: str = "L") -> None:
        """Place one prepared line; the text colour must be set already."""
        if not line:
            return
        self.lines_drawn += 1
        if _RTL.search(line):
            self._draw_rtl(x, baseline, line, style, size, width or self.content_width)
            return
        if align != "L" and width:
            w = self.text_width(line, size, style)
            x += (width - w) if align == "R" else (width - w) / 2
        if not self._loaded_fallbacks or not self._outside.search(line):
            self.use_font(MAIN, style, size)
            self.emit(x, baseline, line)
            return
        for key, run in self._runs(line, style):
            self.use_font(*self._font_of[key], size)
            self.emit(x, baseline, run)
            x += sum(self.fonts[key].cw[ord(c)] for c in run) * size / 1000 / self.k

    def emit(self, x: float, baseline: float, text: str) -> None:
        """``FPDF.text`` for the current TTF font, with a cached character map.

        Same PDF operators as fpdf2 2.8's ``text()`` (which maps characters one
        by one in Python); here each font keeps a ``str.translate`` table, so a
        line is mapped in C. Characters must be drawable (see :meth:`prep`).
        """
        font = self.current_font
        entry = self._translate.get(font.fontkey)
        if entry is None:
            entry = self._translate[font.fontkey] = ({}, set())
        table, known = entry
        new = set(text) - known
        if new:
            for ch in new:
                mapped = font.subset.pick(ord(ch))
                table[ord(ch)] = chr(mapped) if mapped is not None else ""
            known |= new
        encoded = text.translate(table).encode("utf-16-be").decode("latin-1")
        encoded = encoded.replace("\\", "\\\\").replace(")", "\\)").replace("(", "\\(").replace("\r", "\\r")
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(font, self.font_size_pt))
        op = f"BT {x * self.k:.2f} {(self.h - baseline) * self.k:.2f} Td ({encoded}) Tj ET"
        if self.fill_color != self.text_color:
            op = f"q {self.text_color.serialize().lower()} {op} Q"
        self._out(op)

    def _runs(self, line: str, style: str) -> list[tuple[str, str]]:
        """Split a line into (font key, text) runs; spaces stay in the current run."""
        runs: list[tuple[str, str]] = []
        current: str | None = None
        buf: list[str] = []
        for ch in line:
            key = current if (ch == " " and current is not None) else self._font_for(ch, style)
            if key != current and buf:
                runs.append((current, "".join(buf)))
                buf = []
            current = key
            buf.append(ch)
        if buf:
            runs.append((current, "".join(buf)))
        return runs

    def _draw_rtl(self, x: float, baseline: float, line: str, style: str, size: float, width: float) -> None:
        if self._hb:
            self.set_font(MAIN, style, size)
            self._font_state = None
            if self._loaded_fallbacks:
                families = list(dict.fromkeys(self._font_of[k][0] for k in self._loaded_fallbacks))
                self.set_fallback_fonts(families, exact_match=False)
            rtl = _starts_rtl(line)
            self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
            try:
                self.set_xy(x - self.c_margin, baseline - size / self.k * 0.8 - 0.2)
                self.cell(width + 2 * self.c_margin, size / self.k * 1.1, line, align="R" if rtl else "L")
            finally:
                self.set_text_shaping(False)
                self.set_fallback_fonts([])
                # cell() may have left a fallback font selected on the page: make the
                # next text() state its font again.
                self.current_font_is_set_on_page = False
                self._font_state = None
            return
        from fpdf.bidi import BidiParagraph

        visual = BidiParagraph(line).get_reordered_string()
        w = self.text_width(visual, size, style)
        if _starts_rtl(line):
            x += max(0.0, width - w)
        for key, run in self._runs(visual, style):
            self.use_font(*self._font_of[key], size)
            self.emit(x, baseline, run)
            x += sum(self.fonts[key].cw[ord(c)] for c in run) * size / 1000 / self.k

    # -------------------------------------------------------- flow helpers
    def ensure(self, height: float) -> None:
        """Start a new page when ``height`` does not fit any more."""
        if self.y + height > self.bottom:
            self.add_page()
            if self.chapter:
                self.colour(MUTED)
                self.draw_line(self.MARGIN, self.TOP - 6, self.prep(self.chapter), "", 7.5)
            self.set_y(self.TOP)

    # ---------------------------------------------------- checkpoint
    def checkpoint(self) -> tuple:
        """Where drawing stands now, for :meth:`rewind` (pages, content, position, graphics state)."""
        return (self.page, len(self.pages[self.page].contents), self._get_current_graphics_state(),
                self.current_font_is_set_on_page, self.x, self.y, self.chapter, self.lines_drawn)

    def rewind(self, mark: tuple) -> None:
        """Undo everything drawn since ``mark`` (:meth:`checkpoint`): later pages go, the page of the
        mark is cut back, and the graphics state is what the content stream says at that point.
        Glyphs and fonts added since stay in the document (unused, harmless)."""
        page, length, state, font_set, x, y, chapter, lines = mark
        for number in range(page + 1, self.page + 1):
            del self.pages[number]
        self.page = page
        del self.pages[page].contents[length:]
        self._pop_local_stack()
        self._push_local_stack(state.copy())
        self.current_font_is_set_on_page = font_set
        self.x, self.y, self.chapter, self.lines_drawn = x, y, chapter, lines
        self._font_state = None
        self._colour = None

    def para(self, value: Any, *, size: float | None = None, style: str = "", colour=INK,
             indent: float = 0.0, bullet: str = "", gap: float = 0.8, leading: float = 1.28,
             keep: float = 0.0, width: float | None = None) -> None:
        """A wrapped paragraph with an optional bullet, breaking across pages."""
        size = size or self.body_size
        text = self.prep(value, style)
        lh = size / self.k * leading * self.squeeze
        x = self.MARGIN + indent
        bullet_w = 4.0 if bullet else 0.0
        avail = (width or (self.content_width - indent)) - bullet_w
        lines = self.wrap(text, avail, size, style) or [""]
        # Keep short paragraphs (up to 6 lines) on one page; longer ones may break after 2 lines.
        self.ensure(lh * (len(lines) if len(lines) <= 6 else 2) + keep)
        self.colour(colour)
        for i, line in enumerate(lines):
            self.ensure(lh)
            baseline = self.y + lh * 0.78
            if i == 0 and bullet:
                self.colour(ACCENT)
                self.use_font(MAIN, "B", size)
                self.emit(x, baseline, bullet)
                self.colour(colour)
            self.draw_line(x + bullet_w, baseline, line, style, size, avail)
            self.y += lh
        self.y += gap * self.squeeze

    def heading(self, value: Any, level: int = 1) -> None:
        size = {0: 20.0, 1: 15.0, 2: 11.5, 3: 9.5}[level]
        colour = PRIMARY if level <= 2 else INK
        space = {0: 0.0, 1: 2.0, 2: 3.5, 3: 2.0}[level]
        self.y += space * self.squeeze
        self.para(value, size=size, style="B", colour=colour, gap=0.6 if level > 1 else 1.2,
                  leading=1.2, keep={1: 20, 2: 18}.get(level, 12))
        if level == 1:
            self.set_draw_color(*PRIMARY)
            self.set_line_width(0.5)
            self.line(self.MARGIN, self.y, self.MARGIN + 30, self.y)
            self.y += 4

    def muted(self, value: Any, size: float = 8.5) -> None:
        self.para(value, size=size, colour=MUTED)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float], *,
              size: float = 8.0, aligns: Sequence[str] | None = None, shade_first: bool = False) -> None:
        """A simple table with a repeated header; a row never splits across pages."""
        aligns = aligns or ["L"] * len(headers)
        lh = size / self.k * 1.25 * self.squeeze
        pad = 1.2 * self.squeeze
        max_lines = int((self.bottom - self.TOP - 12) / lh) - 2

        def header() -> None:
            cells = [self.wrap(self.prep(h, "B"), w - 2 * pad, size, "B") for h, w in zip(headers, widths)]
            height = max(len(c) for c in cells) * lh + 2 * pad
            self.ensure(height + lh + 2 * pad)
            self.fill(PRIMARY)
            self.rect(self.MARGIN, self.y, sum(widths), height, style="F")
            self.colour((255, 255, 255))
            x = self.MARGIN
            for cell, w, align in zip(cells, widths, aligns):
                for i, line in enumerate(cell):
                    self.draw_line(x + pad, self.y + pad + lh * (i + 0.78), line, "B", size, w - 2 * pad, align)
                x += w
            self.y += height

        header()
        for n, row in enumerate(rows):
            style = "B" if shade_first and n == 0 else ""
            cells = []
            for value, w in zip(row, widths):
                lines = self.wrap(self.prep(value, ""), w - 2 * pad, size, "")
                if len(lines) > max_lines:
                    lines = lines[:max_lines - 1] + [self.prep(t("pdf.cut_lines"))]
                cells.append(lines or [""])
            height = max(len(c) for c in cells) * lh + 2 * pad
            if self.y + height > self.bottom:
                self.ensure(height + 50)
                header()
            if n % 2 == 1:
                self.fill(SHADE)
                self.rect(self.MARGIN, self.y, sum(widths), height, style="F")
            self.colour(INK)
            x = self.MARGIN
            for cell, w, align in zip(cells, widths, aligns):
                for i, line in enumerate(cell):
                    self.draw_line(x + pad, self.y + pad + lh * (i + 0.78), line, style, size, w - 2 * pad, align)
                x += w
            self.y += height
            self.set_draw_color(*RULE)
            self.set_line_width(0.15)
            self.line(self.MARGIN, self.y, self.MARGIN + sum(widths), self.y)
        self.y += 3


# ------------------------------------------------------------------ charts
def legend(pdf: Report, orgs: Sequence[str]) -> None:
    """The chart legend: a colour square and the short name of each org type, then 'iedereen'."""
    pdf.ensure(10)
    x = pdf.MARGIN
    for org, colour in [(o, ORG_COLOURS.get(o, MUTED)) for o in orgs] + [("__all", OVERALL_COLOUR)]:
        label = t("pdf.praat.overall") if org == "__all" else ORG_SHORT.get(org, org)
        w = pdf.text_width(label, 7.5) + 8
        if x + w > pdf.w - pdf.MARGIN:
            x = pdf.MARGIN
            pdf.y += 4.5
        pdf.fill(colour)
        pdf.rect(x, pdf.y + 0.6, 3, 3, style="F")
        pdf.colour(INK)
        pdf.draw_line(x + 4, pdf.y + 3, label, "", 7.5)
        x += w
    pdf.y += 7


def trend_chart(pdf: Report, trend) -> None:
    """Per praatplaat aspect a line chart across workshops (:class:`exports.progress.Trend`): one
    thin line per org type and a thick one for everyone, in the colours of the score chart. Every
    line ends in its name and last value, so colour is never the only cue."""
    orgs = [o for o in ORG_TYPES if any(any(v is not None for v in a.org(o)) for a in trend.aspects)]
    legend(pdf, orgs)
    count = len(trend.workshops)
    axis_w, end_w, plot_h = 7.0, 30.0, 34.0
    x0 = pdf.MARGIN + axis_w
    plot_w = pdf.content_width - axis_w - end_w
    step_x = plot_w / (count - 1) if count > 1 else 0.0
    xs = [x0 + (i * step_x if count > 1 else plot_w / 2) for i in range(count)]
    for aspect in trend.aspects:
        if not any(v is not None for v in aspect.overall):
            continue
        pdf.ensure(plot_h + 22)
        change = aspect.change()
        pdf.heading(change.text_with_delta if change else aspect.title, 3)
        top = pdf.y + 2
        y_of = lambda v: top + plot_h * (5 - v) / 4  # noqa: E731 - 5 at the top, 1 at the bottom
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.15)
        pdf.colour(MUTED)
        for s in range(1, 6):
            pdf.line(x0, y_of(s), x0 + plot_w, y_of(s))
            pdf.draw_line(pdf.MARGIN, y_of(s) + 1, str(s), "", 6.5)
        series = [(org, aspect.org(org), ORG_COLOURS.get(org, MUTED), 0.45, 1.4) for org in orgs
                  if any(v is not None for v in aspect.org(org))]
        series.append(("__all", aspect.overall, OVERALL_COLOUR, 1.0, 2.2))
        ends = []
        for org, values, colour, width, mark in series:
            pdf.set_draw_color(*colour)
            pdf.set_line_width(width)
            # a workshop without a value breaks the line: only neighbours that both have one are joined
            for i in range(count - 1):
                if values[i] is not None and values[i + 1] is not None:
                    pdf.line(xs[i], y_of(values[i]), xs[i + 1], y_of(values[i + 1]))
            points = [(x, y_of(v)) for x, v in zip(xs, values) if v is not None]
            pdf.fill(colour)
            for x, y in points:
                pdf.rect(x - mark / 2, y - mark / 2, mark, mark, style="F")
            last = next(((x, v) for x, v in zip(reversed(xs), reversed(values)) if v is not None), None)
            if last:
                label = t("pdf.praat.overall") if org == "__all" else ORG_SHORT.get(org, org)
                ends.append([y_of(last[1]), f"{label} {_num(last[1])}", colour, org == "__all"])
        for x, v in zip(xs, aspect.overall):  # the overall value above each point, on white
            if v is not None:
                w = pdf.text_width(_num(v), 6.5, "B") + 1
                pdf.fill((255, 255, 255))
                pdf.rect(x - w / 2, y_of(v) - 4.3, w, 3, style="F")
                pdf.colour(OVERALL_COLOUR)
                pdf.draw_line(x - 6, y_of(v) - 1.8, _num(v), "B", 6.5, 12, "C")
        ends.sort(key=lambda e: e[0])  # spread the end labels so that none overlaps another
        for i in range(1, len(ends)):
            ends[i][0] = max(ends[i][0], ends[i - 1][0] + 2.9)
        for y, label, colour, bold in ends:
            pdf.colour(colour)
            pdf.draw_line(x0 + plot_w + 2, y + 1, pdf.prep(label), "B" if bold else "", 6.5)
        pdf.colour(MUTED)
        for x, ref in zip(xs, trend.workshops):
            pdf.draw_line(x - 12, top + plot_h + 4, pdf.prep(ref.label), "", 6.5, 24, "C")
        pdf.y = max(top + plot_h + 7, (ends[-1][0] + 3) if ends else 0)


def _starts_rtl(line: str) -> bool:
    """True for a line written right to left only (no left-to-right letters at all).

    A Dutch report keeps a left-to-right base direction for mixed lines (a
    list of names starting with an Arabic one); a wholly Arabic or Hebrew note
    is set right to left and aligned right.
    """
    kinds = {unicodedata.bidirectional(ch) for ch in set(line)}
    return bool(kinds & {"R", "AL"}) and "L" not in kinds


@lru_cache(maxsize=None)
def _device(rgb: tuple[int, int, int]):
    """fpdf2's colour object for an RGB tuple, made once."""
    from fpdf.drawing_primitives import convert_to_device_color

    return convert_to_device_color(*rgb)


@lru_cache(maxsize=1)
def _have_harfbuzz() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------ action list
def action_headers() -> list[str]:
    return [t("pdf.actions.what"), t("pdf.actions.owner"), t("pdf.actions.partner"), t("pdf.actions.due"),
            t("pdf.actions.status")]


def action_table(pdf: Report, actions: list[dict]) -> None:
    """The action list as a table (what, owner, partner, date, status), open first."""
    if not actions:
        pdf.muted(t("pdf.actions.none"))
        return
    pdf.table(action_headers(), action_rows(actions), [pdf.content_width - 108, 32, 32, 27, 17])


def vote_suffix(votes: int) -> str:
    """'  (3 stippen)' after a note with dots; nothing without."""
    return "  (" + plural("n.dots", votes) + ")" if votes else ""


def action_rows(actions: list[dict]) -> list[list[str]]:
    """The action list as table rows (what with its notes, owner, partner, date, status), open first."""
    order = {"open": 0, "bezig": 1, "klaar": 2}
    rows = []
    for a in sorted(actions, key=lambda a: (order.get(a.get("status"), 3), a.get("due") or "9999", a["id"])):
        what = a.get("what", "")
        if a.get("link"):
            what += "\n" + t("pdf.actions.link", link=a["link"])
        if not a.get("confirmed"):
            what += "\n" + t("pdf.actions.proposal")
        if a.get("review_note"):
            what += "\n" + t("pdf.actions.review", note=a["review_note"])
        rows.append([what, a.get("owner") or "-", a.get("partner") or "-", due_text(a.get("due")), a.get("status", "")])
    return rows


def earlier_headers() -> list[str]:
    return [t("pdf.actions.what"), t("pdf.actions.owner"), t("pdf.actions.due"), t("pdf.actions.status"),
            t("pdf.followup.from")]


def earlier_rows(earlier: list[dict]) -> list[list[str]]:
    """Open actions of earlier workshops as table rows: what, owner, date, status, which workshop."""
    return [[a.get("what", ""), a.get("owner", ""), due_text(a.get("due")), a.get("status", ""),
             f"{a.get('workshop_title', '')} ({due_text(a.get('workshop_date'))})"] for a in earlier]


def due_text(value: Any) -> str:
    day = parse_date(value)
    return dutch_date(day) if day else "-"


# ------------------------------------------------------------------ build
def build_pdf(snap: dict, progress: Progress | None = None, previous: dict | None = None) -> bytes:
    """The follow-up report of one workshop as PDF bytes: a one-page summary, then the detail.

    ``progress(fraction, label)``, when given, is called as the report grows
    (0.0 at the start, 1.0 when done), so a download button can show progress.
    ``previous``, the snapshot of the partnership's workshop before this one, adds
    "what changed since last time" to the summary.
    """
    return _Builder(snap, progress, previous).build()


def build_summary_pdf(snap: dict, previous: dict | None = None) -> bytes:
    """Only the one-page summary (the participants' download)."""
    builder = _Builder(snap, None, previous)
    builder.summary_page(detail_follows=False)
    return bytes(builder.pdf.output())


def build_report(snap: dict, progress: Progress | None = None) -> tuple[bytes, Report]:
    """Like :func:`build_pdf`, also returning the finished :class:`Report` (benchmarks)."""
    builder = _Builder(snap, progress)
    return builder.build(), builder.pdf


class _Builder:
    def __init__(self, snap: dict, progress: Progress | None, previous: dict | None = None):
        self.snap = snap
        self.previous = previous
        self.ws = snap.get("workshop") or {}
        self.anonymous = bool(self.ws.get("anonymous"))
        self.progress = progress or (lambda fraction, label: None)
        self.pdf = Report(str(self.ws.get("title") or ""))
        self.people = participants_by_id(snap)

    def build(self) -> bytes:
        pdf = self.pdf
        steps = sorted(self.snap.get("steps", []), key=lambda s: s.get("position", 0))
        total = len(steps) + 3
        self.progress(0.0, t("summary.progress"))
        self.summary_page(detail_follows=True)
        self.cover(steps)
        for i, step in enumerate(steps):
            self.progress((i + 1) / total, t("pdf.progress.step", n=i + 1, title=step.get("title", "")))
            self.step(i + 1, step)
        from exports import regioplan  # the regioplan skeleton, when the workshop has its parts
        if regioplan.has_regioplan(self.snap):
            regioplan.pdf_chapter(self)
        self.progress((len(steps) + 1) / total, t("pdf.progress.actions"))
        self.actions(steps)
        self.data_note()
        pdf.finish_pages()
        self.progress((len(steps) + 2) / total, t("pdf.progress.saving"))
        data = bytes(pdf.output())
        self.progress(1.0, t("pdf.progress.done"))
        return data

    #: A step's last page holding less than this (mm) is an orphan worth pulling back.
    ORPHAN = 25.0
    #: How much tighter a step may be drawn for that, tried in turn.
    SQUEEZE = (0.95, 0.9, 0.85)

    # -------------------------------------------------------------- summary
    #: Lines each part of the summary page may hold (agreements take the rest of the page).
    SUMMARY_CAPS = {"summary.changes": 6, "summary.top": 5, "summary.differences": 3, "summary.gaps": 5}

    def summary_page(self, *, detail_follows: bool) -> None:
        """One page a stuurgroep reads in two minutes (:mod:`exports.summary`); never more than one."""
        from exports.summary import facts, parts, summarize

        pdf = self.pdf
        summary = summarize(self.snap, self.previous)
        pdf.add_page()
        pdf.fill(PRIMARY)
        pdf.rect(0, 0, pdf.w, 6, style="F")
        pdf.set_y(14)
        pdf.para(t("summary.kicker"), size=9, colour=ACCENT, style="B", gap=0.5)
        self._lines(summary.title or "-", size=17, style="B", colour=PRIMARY, most=2, gap=1)
        self._lines(facts(summary), size=9, colour=MUTED, most=2, gap=2)
        limit = pdf.bottom - (8 if detail_follows else 0)
        sections = parts(summary)
        caps = list(self.SUMMARY_CAPS.values())
        for i, part in enumerate(sections):
            last = i == len(sections) - 1
            if pdf.y + 14 > limit:
                break
            pdf.y += 2
            self._lines(part.heading, size=10.5, style="B", colour=PRIMARY, most=1, gap=0.8)
            if not part.lines:
                self._lines(part.empty, size=8.5, colour=MUTED, most=2)
                continue
            cap = len(part.lines) if last else min(len(part.lines), caps[min(i, len(caps) - 1)])
            shown = 0
            for line in part.lines[:cap]:
                if not self._bullet(line, limit - (4.5 if last or cap < len(part.lines) else 0)):
                    break
                shown += 1
            rest = len(part.lines) - shown
            if rest:
                key = "summary.more_agreements" if last else "summary.more_lines"
                self._lines(plural(key, rest), size=8, colour=MUTED, most=1)
            elif part.more:
                self._lines(part.more, size=8, colour=MUTED, most=1)
        if detail_follows:
            pdf.y = max(pdf.y, limit - 2)
            self._lines(t("summary.detail"), size=8, colour=MUTED, most=1)

    def _lines(self, value: Any, *, size: float, style: str = "", colour=INK, most: int = 2,
               gap: float = 0.6, indent: float = 0.0) -> None:
        """A paragraph of at most ``most`` lines (the last one cut with '…'), never breaking the page."""
        pdf = self.pdf
        lines = self._cut(value, pdf.content_width - indent, size, style, most)
        lh = size / pdf.k * 1.25
        pdf.colour(colour)
        for line in lines:
            pdf.draw_line(pdf.MARGIN + indent, pdf.y + lh * 0.78, line, style, size)
            pdf.y += lh
        pdf.y += gap

    def _cut(self, value: Any, width: float, size: float, style: str, most: int) -> list[str]:
        pdf = self.pdf
        lines = pdf.wrap(pdf.prep(value, style, 2000).replace("\n", " "), width, size, style)  # one paragraph
        if len(lines) > most:
            lines = lines[:most]
            last = lines[-1]
            while last and pdf.text_width(last + " …", size, style) > width:
                last = last[:-1]
            lines[-1] = last.rstrip() + " …"
        return lines

    def _bullet(self, value: Any, limit: float, size: float = 8.5) -> bool:
        """One bullet of at most two lines, when it fits above ``limit``; False when it does not."""
        pdf = self.pdf
        lines = self._cut(value, pdf.content_width - 6, size, "", 2)
        lh = size / pdf.k * 1.25
        if pdf.y + lh * len(lines) > limit:
            return False
        pdf.colour(ACCENT)
        pdf.use_font(MAIN, "B", size)
        pdf.emit(pdf.MARGIN + 2, pdf.y + lh * 0.78, "•")
        pdf.colour(INK)
        for line in lines:
            pdf.draw_line(pdf.MARGIN + 6, pdf.y + lh * 0.78, line, "", size)
            pdf.y += lh
        pdf.y += 0.5
        return True

    # ---------------------------------------------------------------- cover
    def cover(self, steps: list[dict]) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.fill(PRIMARY)
        pdf.rect(0, 0, pdf.w, 6, style="F")
        pdf.set_y(28)
        pdf.para(t("pdf.cover.kicker"), size=10, colour=ACCENT, style="B")
        pdf.para(self.ws.get("title") or "", size=24, style="B", colour=PRIMARY, leading=1.15, gap=2)
        pdf.para(self.ws.get("partnership") or "", size=14, colour=INK, gap=6)

        day = parse_date(self.ws.get("date"))
        facts = [
            (t("pdf.cover.date"), dutch_date(day) if day else "-"),
            (t("pdf.cover.facilitator"), self.ws.get("facilitator") or "-"),
            (t("pdf.cover.participants"), str(len(self.people))),
        ]
        for label, value in facts:
            y = pdf.y
            pdf.para(label, size=10, colour=MUTED, width=40, gap=0)
            pdf.y = y
            pdf.para(value, size=10, indent=42, gap=1.5)
        pdf.y += 4

        counts: dict[str, int] = {}
        for person in self.people.values():
            counts[person.get("org_type") or "overig"] = counts.get(person.get("org_type") or "overig", 0) + 1
        pdf.heading(t("pdf.cover.by_org"), 2)
        if counts:
            self.org_bars(counts)
        else:
            pdf.muted(t("pdf.cover.nobody"))

        pdf.heading(t("pdf.cover.program"), 2)
        for i, step in enumerate(steps):
            pdf.para(f"{i + 1}. {step.get('title', '')}", size=9.5, gap=0.6)

        pdf.heading(t("pdf.cover.who"), 2)
        if self.anonymous:
            pdf.muted(t("pdf.cover.anonymous"))
        elif confidential_steps(self.snap):
            pdf.muted(t("pdf.cover.confidential"))  # intervision: no names in the report
        else:
            names = [f"{p['name']} ({ORG_SHORT.get(p.get('org_type'), p.get('org_type') or '')})"
                     for p in self.people.values() if (p.get("name") or "").strip()]
            if names:
                pdf.para(" · ".join(names), size=8.5)
            else:
                pdf.muted(t("pdf.cover.no_names"))

    def org_bars(self, counts: dict[str, int]) -> None:
        pdf = self.pdf
        order = [o for o in ORG_TYPES if o in counts] + sorted(set(counts) - set(ORG_TYPES))
        most = max(counts.values())
        bar_h, gap, label_w, max_w = 4.6, 1.6, 52.0, 90.0
        pdf.ensure(len(order) * (bar_h + gap) + 4)
        for org in order:
            y = pdf.y
            pdf.colour(INK)
            pdf.draw_line(pdf.MARGIN, y + bar_h * 0.78, pdf.prep(ORG_TYPES.get(org, org)), "", 9, label_w)
            w = max_w * counts[org] / most
            pdf.fill(ORG_COLOURS.get(org, MUTED))
            pdf.rect(pdf.MARGIN + label_w, y, max(w, 0.6), bar_h, style="F")
            pdf.draw_line(pdf.MARGIN + label_w + w + 2, y + bar_h * 0.78, str(counts[org]), "B", 9)
            pdf.y = y + bar_h + gap
        pdf.y += 3

    # ----------------------------------------------------------------- steps
    def step(self, n: int, step: dict) -> None:
        pdf = self.pdf
        pdf.chapter = t("pdf.step_heading", n=n, title=step.get("title", ""))
        pdf.add_page()
        pdf.heading(pdf.chapter, 1)
        summary = of_step(step).summary
        if summary:
            pdf.muted(summary)
            pdf.y += 2
        draw = layouts.of(step).report.pdf_section
        mark, first = pdf.checkpoint(), pdf.page
        draw(self, step)
        if pdf.page == first or pdf.y - pdf.TOP >= self.ORPHAN:
            return
        # The step's last page holds only a few lines: draw it a little tighter, so that they come back
        # onto the page before (issue 14: no page with three overflow lines). Else keep it as it was.
        pages = pdf.page
        for squeeze in self.SQUEEZE:
            pdf.rewind(mark)
            pdf.squeeze = squeeze
            draw(self, step)
            pdf.squeeze = 1.0
            if pdf.page < pages:
                return
        pdf.rewind(mark)
        draw(self, step)

    # --------------------------------------------------------------- actions
    def actions(self, steps: list[dict]) -> None:
        """The agreements as a chapter of their own, unless a step holds them (its section shows them)."""
        if any("action" in of_step(s).kinds for s in steps):
            return
        pdf = self.pdf
        pdf.chapter = t("pdf.actions.title")
        pdf.add_page()
        pdf.heading(pdf.chapter, 1)
        actions = live_actions(self.snap)
        if not actions:
            pdf.muted(t("pdf.actions.none"))
            return
        pdf.para(t("pdf.actions.intro", count=plural("n.actions", len(actions))))
        action_table(pdf, actions)

    # ------------------------------------------------------------- data note
    def data_note(self) -> None:
        pdf = self.pdf
        pdf.chapter = t("pdf.data.title")
        pdf.y += 6
        pdf.ensure(60)
        pdf.heading(t("pdf.data.title"), 2)
        when = datetime.now(timezone.utc)
        try:
            from zoneinfo import ZoneInfo

            when = when.astimezone(ZoneInfo("Europe/Amsterdam"))  # the users' clock
        except Exception:  # noqa: BLE001 - no time zone data: keep UTC
            pass
        pdf.para(t("pdf.data.exported", date=dutch_date(when.date()), time=when.strftime("%H:%M")), size=8.5)
        pdf.para(t("pdf.data.stored"), size=8.5)
        pdf.para(t("pdf.data.anonymous") if self.anonymous else t("pdf.data.names"), size=8.5)
        pdf.para(t("pdf.data.delete"), size=8.5)
        days = settings.get().retention_days
        pdf.para(t("pdf.data.retention", days=days) if days else t("pdf.data.no_retention"), size=8.5)
