"""Untrusted text made safe for Markdown and links: only http(s) URLs become links, nothing opens HTML.

A fact's ``source_url`` is whatever was imported. In HTML it is escaped by Jinja2
and linked only when :func:`is_web_url`; in Markdown, which passes raw HTML
through, :func:`md_source` writes an http(s) URL as an autolink with the
characters that could end it or open a tag percent-encoded, and anything else as
escaped text.

>>> md_source("https://x.example/a><img src=x onerror=alert(1)>")
'<https://x.example/a%3E%3Cimg%20src=x%20onerror=alert(1)%3E>'
>>> md_source("javascript:alert(document.domain)")
'javascript:alert\\\\(document.domain\\\\)'
"""

from __future__ import annotations

import re

__all__ = ["is_web_url", "md_source", "md_text", "md_inline", "md_url", "terminal_text", "csv_cell", "FORMULA_START"]

_WEB_SCHEMES = ("http://", "https://")


def is_web_url(url: str | None) -> bool:
    """True for an ``http://`` or ``https://`` URL: the only sources a brief turns into links.

    Anything else (``javascript:``, ``data:``, a relative path, a bare name) is shown as text, so a
    fact's ``source_url`` can never become a script or a link into the reader's own site.
    """
    return url is not None and url.lower().startswith(_WEB_SCHEMES)


_CONTROL = {chr(i): f"%{i:02X}" for i in (*range(0x20), 0x7F)}
_MD_URL_ESCAPES = {**_CONTROL, **{c: f"%{ord(c):02X}" for c in "<>\"'\\` "}}
_MD_TEXT_ESCAPES = {**_CONTROL, "&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_[]()!|~"}}
_BLOCK_START = re.compile(r"[#+\-=]|\d+[.)]")


def md_url(url: str) -> str:
    """``url`` safe inside a Markdown autolink ``<…>``: ``<``, ``>``, quotes, backslash, backtick,
    spaces and control characters (what could end the autolink or open a tag) are percent-encoded."""
    return "".join(_MD_URL_ESCAPES.get(c, c) for c in url)


def md_text(text: str) -> str:
    """``text`` as literal Markdown: no HTML, emphasis, code, links or line breaks, and no list or
    heading where it starts a line."""
    out = "".join(_MD_TEXT_ESCAPES.get(c, c) for c in text)
    m = _BLOCK_START.match(out)
    if m:
        k = m.end() - 1
        out = out[:k] + "\\" + out[k:]
    return out


_MD_INLINE_ESCAPES = {**_CONTROL, "\n": " ", "&": "&amp;", "<": "&lt;", ">": "&gt;",
                      **{c: "\\" + c for c in "\\`[]"}}


def md_inline(text: str) -> str:
    """Running text of a brief (a sentence naming makers, a title, a label) safe in Markdown: no raw
    HTML, no link or code span, no control character; ordinary punctuation is left as written, so the
    prose still reads (and audits) as prose.

    >>> md_inline('Evil"><script>alert(1)</script> [x](javascript:alert(1))')
    'Evil"&gt;&lt;script&gt;alert(1)&lt;/script&gt; \\\\[x\\\\](javascript:alert(1))'
    """
    return "".join(_MD_INLINE_ESCAPES.get(c, c) for c in text)


def md_source(url: str) -> str:
    """A source in Markdown: an autolink for an http(s) URL, escaped text for anything else."""
    return f"<{md_url(url)}>" if is_web_url(url) else md_text(url)


# Controls a terminal would obey (C0 but tab and newline, DEL, C1) and the marks that reorder or hide
# text on screen (bidi embeddings, overrides and isolates, directional marks, zero-width characters).
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: escape sequences and direction controls become U+FFFD.

    >>> terminal_text("Evil\\x1b]0;pwned\\x07Co\\u202e")
    'Evil\ufffd]0;pwned\ufffdCo\ufffd'
    """
    return _TERMINAL_UNSAFE.sub("\ufffd", text)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula ('=HYPERLINK(…)')."""


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
