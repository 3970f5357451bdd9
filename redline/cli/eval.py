"""`redline eval`: measure the reader and the auditor on an annotated corpus."""

from __future__ import annotations

from typing import Any, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import InputError
from ._common import JsonOption, console, fail, open_store, print_json, run


def _pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _num(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.3f}"


def _headline(d: dict[str, Any]) -> Table:
    c = d["counts"]
    t = Table(title=f"redline eval — split {d['split']}: {d['articles']} articles, {d['claims']} annotated claims",
              title_justify="left", show_header=True)
    t.add_column("figure")
    t.add_column("value", justify="right")
    t.add_column("counts")
    ex, exv = c["extraction"], c["extraction_values"]
    t.add_row("extraction F1 (full claims)", _num(d["extraction_f1"]),
              f"P {_num(d['extraction_precision'])} R {_num(d['extraction_recall'])} (tp {ex['tp']} fp {ex['fp']} fn {ex['fn']})")
    t.add_row("extraction F1 (values)", _num(d["extraction_values_f1"]),
              f"P {_num(d['extraction_values_precision'])} R {_num(d['extraction_values_recall'])} (tp {exv['tp']} fp {exv['fp']} fn {exv['fn']})")
    t.add_row("verdict accuracy", _pct(d["verdict_accuracy"]), "against expected_verdict")
    t.add_row("false-alarm rate", _pct(d["false_alarm_rate"]), f"{c['false_alarms']} of {c['truth_true']} true figures flagged")
    t.add_row("catch rate", _pct(d["catch_rate"]), f"{c['caught']} of {c['truth_false']} wrong figures flagged")
    t.add_row("  natural errors", _pct(d["catch_rate_natural"]), f"of {c['truth_false_natural']}")
    t.add_row("  planted errors", _pct(d["catch_rate_planted"]), f"of {c['truth_false_planted']}")
    t.add_row("flag precision", _pct(d["flag_precision"]), f"{c['flags']} flags on annotated claims")
    t.add_row("missed false", _pct(d["missed_false"]), "wrong figures called supported")
    t.add_row("stray flags", str(c["stray_flags"]), "flags on numbers no annotation calls a claim")
    return t


def _groups(d: dict[str, Any]) -> Table:
    t = Table(title=f"by {d['by']}", title_justify="left")
    for col in (d["by"], "articles", "claims", "F1", "values F1", "accuracy", "false alarms", "catches", "flag precision"):
        t.add_column(col, justify="left" if col == d["by"] else "right")
    for name, g in d["groups"].items():
        c = g["counts"]
        t.add_row(escape(name), str(g["articles"]), str(g["claims"]), _num(g["extraction_f1"]),
                  _num(g["extraction_values_f1"]), _pct(g["verdict_accuracy"]),
                  f"{c['false_alarms']}/{c['truth_true']}", f"{c['caught']}/{c['truth_false']}", _pct(g["flag_precision"]))
    return t


def _worst(d: dict[str, Any]) -> Table:
    t = Table(title=f"worst {len(d['worst'])} claims", title_justify="left", show_lines=True)
    for col in ("claim", "truth", "expected", "got", "why"):
        t.add_column(col, overflow="fold")
    for w in d["worst"]:
        where = w["article"].rsplit("/", 1)[-1]
        read = w["read"]
        reading = "" if read is None else (
            f"\nread: {read['entity']} · {read['metric']} · {read['kind']} · "
            f"{'..'.join(read['period']) if read['period'] else 'no period'} · {read['value']}")
        t.add_row(escape(f"{w['quote']}\n({where})"), w["truth"] + (" (planted)" if w["planted"] else ""),
                  str(w["expected"]), f"{w['got']}\n[{w['outcome']}]", escape(w["explanation"] + reading))
    return t


def eval_(
    corpus: str = typer.Argument(..., help="Folder of annotated article files (*.json), or one file."),
    split: str = typer.Option("dev", "--split", help="dev, test or all. Score test only at the end of a round."),
    by: str = typer.Option("style", "--by", help="Group the table by style or outlet."),
    worst: int = typer.Option(20, "--worst", help="How many of the worst claims to list."),
    check: bool = typer.Option(False, "--check", help="Only check the corpus files against the format, and count them."),
    db: Optional[str] = typer.Option(None, "--db", help="Judge against this fact store instead of the bundled pack."),
    json_: bool = JsonOption,
) -> None:
    """Measure extraction and verdicts on an annotated corpus of articles, each audited as known on its date.

    Prints extraction F1 (full claims and values alone), verdict accuracy, the
    false-alarm rate (true figures flagged), the catch rate (wrong figures
    flagged, natural and planted apart), flag precision and missed-false,
    then a table per style or outlet and the worst claims. The corpus format
    is described in tests/corpus/real/README.md.

    Example: redline eval tests/corpus/real --split dev --by outlet
    """
    from ..evaluation.corpus import load_corpus
    from ..evaluation.evaluate import evaluate

    if by not in ("style", "outlet"):
        fail(InputError(f"--by must be style or outlet, not {by!r}"), json_)
    if worst < 0:
        fail(InputError(f"--worst must be 0 or more, not {worst}"), json_)

    def go() -> None:
        articles = load_corpus(corpus, split="all" if check else split)
        if check:
            summary = {
                "articles": len(articles),
                "outlets": len({a.outlet for a in articles}),
                "claims": sum(len(a.claims) for a in articles),
                "by_split": {s: sum(1 for a in articles if a.split == s) for s in ("dev", "test")},
                "truth_false": sum(c.truth == "false" for a in articles for c in a.claims),
                "truth_false_natural": sum(c.truth == "false" and not c.planted for a in articles for c in a.claims),
                "planted": sum(c.planted for a in articles for c in a.claims),
            }
            if json_:
                print_json(summary)
            else:
                console.print(f"{escape(corpus)}: ok — {summary['articles']} articles from {summary['outlets']} outlets "
                              f"(dev {summary['by_split']['dev']}, test {summary['by_split']['test']}), "
                              f"{summary['claims']} claims, {summary['truth_false']} false "
                              f"({summary['truth_false_natural']} natural, {summary['planted']} planted)", highlight=False)
            return
        if not articles:
            raise InputError(f"{corpus}: no articles in the {split} split")
        store = open_store(db, read_only=True) if db else None
        try:
            if json_:
                result = evaluate(articles, store=store, split=split)
            else:
                with Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              console=console, transient=True) as progress:
                    task = progress.add_task("articles", total=len(articles))
                    result = evaluate(articles, store=store, split=split,
                                      on_article=lambda _a: progress.advance(task))
        finally:
            if store is not None:
                store.close()
        data = result.to_dict(by=by, worst=worst)
        if json_:
            print_json(data)
            return
        console.print(_headline(data))
        console.print(_groups(data))
        if data["worst"]:
            console.print(_worst(data))

    run(json_, go)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_)
