"""Markdown and HTML for a brief, through Jinja2 templates (HTML autoescaped).

Markdown figures carry footnote markers (``108,796[^3]``); HTML figures are
links to their note (``<a href="#note-3">``). Charts are image links in
Markdown and inline SVG in HTML, so the HTML brief opens with no network.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .charts import Chart
from ..markup import is_web_url, md_inline, md_source, md_text
from .sections import Block, Bullets, ChartRef, Paragraph, Section, Table
from .text import Figure, Note, Sentence
from .writer import day_text

__all__ = ["RenderedNote", "md_label", "note_order", "render_markdown", "render_html", "DERIVED_MARK"]

DERIVED_MARK = "†"

_env_html = Environment(loader=PackageLoader("redline.brief", "templates"), autoescape=select_autoescape(["html", "j2"]),
                        keep_trailing_newline=True, trim_blocks=False)
_env_md = Environment(loader=PackageLoader("redline.brief", "templates"), autoescape=False, keep_trailing_newline=True)


def note_order(sections: Iterable[Section]) -> list[str]:
    """Note keys in order of first use in the document."""
    keys = []
    for section in sections:
        for block in section.blocks:
            for s in _sentences(block):
                keys.extend(f.note for f in s.figures())
    return keys


def _sentences(block: Block) -> list[Sentence]:
    if isinstance(block, Paragraph):
        return list(block.sentences)
    if isinstance(block, Bullets):
        return list(block.items)
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row]
    return []


@dataclass(frozen=True)
class RenderedNote:
    number: int
    text: str
    html: Markup
    label: str


def _fact_line(f: Any) -> str:
    from .text import fact_text

    published = f" (published {f.published})" if f.published else ""
    return f"{f.entity} {f.metric.replace('_', ' ')}, {f.period.label()}: {fact_text(f)}{published}"


def _note_md(note: Note) -> str:
    bits = [md_inline(note.label)]
    if note.how:
        bits.append(f"Computed: {md_inline(note.how)}")
    facts = "; ".join(f"{md_inline(_fact_line(f))}, {md_source(f.source_url)}" if f.source_url
                      else md_inline(_fact_line(f)) for f in note.facts)
    text = ". ".join(bits)
    return f"{text}. Facts: {facts}." if facts else f"{text}."


def _note_html(note: Note) -> Markup:
    e = _html.escape
    out = [f"<strong>{e(note.label)}</strong>"]
    if note.how:
        out.append(f' <span class="how">— Computed: {e(note.how)}</span>')
    if note.facts:
        items = []
        for f in note.facts:
            link = ""
            if is_web_url(f.source_url):
                link = f' — <a href="{e(f.source_url, quote=True)}" rel="noopener noreferrer nofollow">{e(f.source_url)}</a>'
            elif f.source_url:
                link = f" — {e(f.source_url)}"
            items.append(f"{e(_fact_line(f))}{link}")
        out.append("<br>" + "<br>".join(items))
    return Markup("".join(out))


def rendered_notes(notes: list[Note]) -> list[RenderedNote]:
    return [RenderedNote(n.number, _note_md(n), _note_html(n), md_label(n.number)) for n in notes]


# -- Markdown -------------------------------------------------------------------------------------


def md_label(number: int) -> str:
    """The Markdown footnote label of note ``number``: a, b, … z, aa, ab, …

    Letters, not digits: a digit label right after a word ("vehicles[^17]")
    reads as a number to the claim extractor. Markdown renderers number
    footnotes in order of first reference anyway, which is the order used here,
    so the rendered numbers match the HTML brief's.
    """
    out = ""
    while number > 0:
        number, r = divmod(number - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _md_sentence(s: Sentence, numbers: dict[str, int]) -> str:
    """The sentence with its note markers gathered before its final full stop.

    A marker right after a figure ("400,000[^5]") would split phrases the claim
    extractor reads as one ("from 350,000 to 400,000"), and one after the full
    stop would glue two sentences together; so the markers of a sentence go at
    its end, in the order of its figures.
    """
    out, marks = [], []
    for p in s.parts:
        if isinstance(p, Figure):
            out.append(md_inline(p.text) + ("" if p.checkable else DERIVED_MARK))
            mark = f"[^{md_label(numbers[p.note])}]"
            if mark not in marks:
                marks.append(mark)
        else:
            out.append(md_inline(p))
    text = "".join(out)
    if text.endswith(".") and marks:
        return text[:-1] + "".join(marks) + "."
    return text + "".join(marks)


def _md_block(block: Block, numbers: dict[str, int], charts: dict[str, Chart], files: dict[str, str]) -> str:
    if isinstance(block, Paragraph):
        return " ".join(_md_sentence(s, numbers) for s in block.sentences) + "\n"
    if isinstance(block, Bullets):
        return "".join(f"- {_md_sentence(s, numbers)}\n" for s in block.items)
    if isinstance(block, Table):
        head = "| " + " | ".join(md_inline(h).replace("|", "\\|") for h in block.header) + " |\n|" + "|".join("---" for _ in block.header) + "|\n"
        return head + "".join("| " + " | ".join(_md_sentence(c, numbers) for c in row) + " |\n" for row in block.rows)
    if isinstance(block, ChartRef) and block.name in charts:
        c = charts[block.name]
        src = files.get(block.name, f"{block.name}.svg")
        sources = ", ".join(md_text(d) for d in c.sources()[:8])
        return f"![{md_inline(c.alt)}]({src})\n\n*{md_inline(c.caption)} Sources: {sources}.*\n"
    return ""


def render_markdown(*, title: str, as_of: date, peers: list[str], sections: list[Section], notes: list[Note],
                    sources: list[str], charts: dict[str, Chart], files: dict[str, str]) -> str:
    numbers = {n.key: n.number for n in notes}
    derived = any(not f.checkable for s in sections for b in s.blocks for sent in _sentences(b) for f in sent.figures())
    rendered = [
        {"title": md_inline(s.title), "blocks": [_md_block(b, numbers, charts, files) for b in s.blocks]}
        for s in sections
    ]
    # Every name and word from the store is escaped here (md_inline), so the template adds nothing raw.
    text = _env_md.get_template("brief.md.j2").render(
        title=md_inline(title), as_of_text=day_text(as_of), peers=", ".join(md_inline(p) for p in peers),
        sections=rendered,
        notes=rendered_notes(notes), sources=[{"md": md_source(u)} for u in sources], derived=derived)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


# -- HTML ------------------------------------------------------------------------------------------


def _html_sentence(s: Sentence, notes: dict[str, Note]) -> str:
    """Each figure links to its note; the note number is drawn by CSS, so the text stays the sentence itself."""
    e = _html.escape
    out = []
    for p in s.parts:
        if isinstance(p, Figure):
            n = notes[p.note]
            cls = "fig" if p.checkable else "fig derived"
            out.append(f'<a class="{cls}" href="#note-{n.number}" data-note="{n.number}" '
                       f'title="{e(n.label, quote=True)}">{e(p.text)}</a>')
        else:
            out.append(e(p))
    return "".join(out)


def _html_block(block: Block, notes: dict[str, Note], charts: dict[str, Chart]) -> Markup:
    e = _html.escape
    if isinstance(block, Paragraph):
        return Markup("<p>" + " ".join(_html_sentence(s, notes) for s in block.sentences) + "</p>")
    if isinstance(block, Bullets):
        return Markup("<ul>" + "".join(f"<li>{_html_sentence(s, notes)}</li>" for s in block.items) + "</ul>")
    if isinstance(block, Table):
        head = "".join(f"<th>{e(h)}</th>" for h in block.header)
        body = "".join("<tr>" + "".join(f"<td>{_html_sentence(c, notes)}</td>" for c in row) + "</tr>"
                       for row in block.rows)
        return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if isinstance(block, ChartRef) and block.name in charts:
        c = charts[block.name]
        sources = ", ".join(c.sources())
        svg = c.svg.replace("<svg ", f'<svg role="img" aria-label="{e(c.alt, quote=True)}" ', 1)
        return Markup(f'<figure id="chart-{e(c.name)}">{svg}<figcaption>{e(c.caption)} Sources: {e(sources)}.'
                      "</figcaption></figure>")
    return Markup("")


def render_html(*, title: str, as_of: date, peers: list[str], sections: list[Section], notes: list[Note],
                sources: list[str], charts: dict[str, Chart]) -> str:
    by_key = {n.key: n for n in notes}
    derived = any(not f.checkable for s in sections for b in s.blocks for sent in _sentences(b) for f in sent.figures())
    rendered = [
        {"key": s.key, "title": s.title, "blocks": [_html_block(b, by_key, charts) for b in s.blocks]} for s in sections
    ]
    return _env_html.get_template("brief.html.j2").render(
        title=title, as_of_text=day_text(as_of), peers=", ".join(peers), sections=rendered,
        notes=rendered_notes(notes), sources=[{"url": u, "link": is_web_url(u)} for u in sources], derived=derived)
