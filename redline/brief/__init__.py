"""Data-backed briefs: the numbers behind a company, written up with a note for every figure.

:func:`write_brief` selects what to say first (candidate insights scored by
size and significance, see :mod:`redline.brief.insights`), then writes the
sections (trajectory, pace and forecast, target revisions, market position,
safety, resale, data notes, sources) in Markdown and HTML, with charts
rendered offline to SVG and PNG.

>>> from datetime import date
>>> from redline.store import Store
>>> b = write_brief(Store(":memory:"), "Xiaomi", as_of=date(2025, 11, 25), peers=["NIO"], charts=False)
>>> b.markdown.splitlines()[0]
'# Xiaomi: deliveries, targets and safety'
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import InputError
from ..outputs import write_whole
from ..forecast import Backtest, Forecast
from ..store import Store
from ..store.snapshot import Snapshot
from .charts import Chart, build_charts
from .charts import render as render_chart
from .gather import BriefData, gather
from .insights import Insight, candidate_insights, select
from .render import note_order, render_html, render_markdown
from .sections import Section, build_sections
from .text import Note, NoteBook
from .writer import Writer

__all__ = ["Brief", "write_brief", "FORMATS", "KEY_POINTS"]

FORMATS = ("md", "html")
KEY_POINTS = 5


@dataclass(frozen=True)
class Brief:
    """A written brief: its Markdown and HTML, the charts, the insights chosen and the notes behind every figure."""

    entity: str
    as_of: date
    peers: tuple[str, ...]
    title: str
    markdown: str
    html: str
    charts: tuple[Chart, ...]
    insights: tuple[Insight, ...]
    key_points: tuple[Insight, ...]
    notes: tuple[Note, ...]
    sections: tuple[Section, ...]
    forecast: Forecast | None
    backtest: Backtest
    files: tuple[Path, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fc = self.forecast
        bt = self.backtest
        return {
            "entity": self.entity,
            "as_of": self.as_of.isoformat(),
            "peers": list(self.peers),
            "title": self.title,
            "key_points": [i.to_dict() for i in self.key_points],
            "insights": [i.to_dict() for i in self.insights],
            "forecast": fc.to_dict() if fc else None,
            "backtest": {k: v for k, v in bt.to_dict().items() if k != "cases"},
            "charts": [c.name for c in self.charts],
            "notes": [
                {"number": n.number, "label": n.label, "how": n.how, "fact_ids": [f.id for f in n.facts],
                 "sources": n.sources()}
                for n in self.notes
            ],
            "files": [str(p) for p in self.files],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


def slug(name: str) -> str:
    """'Tesla China' → 'tesla-china'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "brief"


def _title(d: BriefData) -> str:
    noun = "deliveries" if d.metric == "deliveries" else "sales"
    return f"{d.name}: {noun}, targets and safety"


def write_brief(
    store: Store | Snapshot,
    entity: str,
    /,
    *,
    as_of: date,
    peers: Sequence[str] = (),
    out_dir: str | Path | None = None,
    formats: Iterable[str] = FORMATS,
    charts: bool = True,
    png: bool = True,
    key_points: int = KEY_POINTS,
) -> Brief:
    """Write a brief on ``entity`` as known on ``as_of``, beside ``peers``.

    With ``out_dir`` the brief is written there as ``<slug>.md`` and/or
    ``<slug>.html`` plus ``<slug>-<chart>.svg`` and ``.png``; without it,
    nothing is written and the :class:`Brief` holds the text.
    """
    formats = tuple(formats)
    for f in formats:
        if f not in FORMATS:
            raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {f!r}")
    if out_dir is not None:
        _check_out_dir(Path(out_dir))  # before the work, so a bad directory fails at once
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    # Every read of the brief goes to an in-memory snapshot: a few hundred look-ups cost microseconds each
    # there instead of a DuckDB query each.
    source = store if isinstance(store, Snapshot) else Snapshot.from_store(store)
    timings["snapshot"] = time.perf_counter() - t0
    data = gather(source, entity, as_of=as_of, peers=list(peers), events_from=store)
    timings.update(data.timings)
    t1 = time.perf_counter()
    notebook = NoteBook()
    writer = Writer(notebook, data.name)
    candidates = candidate_insights(data, writer)
    ranked = select(candidates, len(candidates))
    top = ranked[:key_points]
    sections = build_sections(data, writer, top)
    notes = notebook.numbered(note_order(sections))
    sources = list(dict.fromkeys(f.source_url for n in notes for f in n.facts if f.source_url))
    timings["write"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    built = build_charts(data) if charts else []
    rendered = [render_chart(c, png=png) for c in built]
    chart_map = {c.name: c for c in rendered}
    sections = [Section(s.key, s.title, tuple(b for b in s.blocks if not hasattr(b, "name") or b.name in chart_map))
                for s in sections]
    timings["charts"] = time.perf_counter() - t2

    base = slug(data.name)
    files = {c.name: f"{base}-{c.name}.svg" for c in rendered}
    title = _title(data)
    peer_names = [p.name for p in data.peers]
    markdown = render_markdown(title=title, as_of=as_of, peers=peer_names, sections=sections, notes=notes,
                               sources=sources, charts=chart_map, files=files)
    html = render_html(title=title, as_of=as_of, peers=peer_names, sections=sections, notes=notes, sources=sources,
                       charts=chart_map)
    written: list[Path] = []
    if out_dir is not None:
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:  # a part of the path is a file
            raise InputError(f"cannot write the brief into {out}: {exc.strerror or exc}; give a directory") from None
        except OSError as exc:  # no permission, a read-only filesystem, a full disk
            raise InputError(f"cannot write the brief into {out}: {exc.strerror or exc}") from None
        if "md" in formats:
            written.append(_write(out / f"{base}.md", markdown))
        for c in rendered:
            written.append(_write(out / files[c.name], c.svg))
            if c.png:
                written.append(write_whole(out / f"{base}-{c.name}.png", c.png))
        if "html" in formats:
            written.append(_write(out / f"{base}.html", html))
    timings["total"] = time.perf_counter() - t0
    return Brief(data.name, as_of, tuple(peer_names), title, markdown, html, tuple(rendered), tuple(ranked),
                 tuple(top), tuple(notes), tuple(sections), data.forecast, data.backtest, tuple(written), timings)


def _check_out_dir(out: Path) -> None:
    """InputError when ``out``, or the nearest part of it that exists, is not a directory."""
    for p in (out, *out.parents):
        if p.exists():
            if not p.is_dir():
                what = "it is a file" if p == out else f"{p} is a file"
                raise InputError(f"cannot write the brief into {out}: {what}, not a directory; give a directory "
                                 "(it is created if missing)")
            return


def _write(path: Path, text: str) -> Path:
    return write_whole(path, text)
