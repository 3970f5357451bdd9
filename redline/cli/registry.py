"""`redline entities …` and `redline metrics …`: the catalog."""

from __future__ import annotations

from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from ..catalog import ENTITY_KINDS, Entity, Metric
from ._common import DbOption, JsonOption, console, open_store, print_json, run

entities_app = typer.Typer(help="List and add entities (companies, brands, models, markets, products).", no_args_is_help=True)
metrics_app = typer.Typer(help="List and add metrics.", no_args_is_help=True)


@entities_app.command("list")
def entities_list(db: Optional[str] = DbOption, json_: bool = JsonOption) -> None:
    """List entities with their kind, parent and aliases.

    Example: redline entities list --json
    """
    def go() -> None:
        with open_store(db) as store:
            ents = list(store.entities().values())
        if json_:
            print_json([{"name": e.name, "kind": e.kind, "parent": e.parent, "aliases": list(e.aliases), "note": e.note} for e in ents])
            return
        table = Table("name", "kind", "parent", "aliases")
        for e in ents:
            table.add_row(*(escape(c) for c in (e.name, e.kind, e.parent or "", "; ".join(e.aliases))))
        console.print(table)
    run(json_, go)


@entities_app.command("add")
def entities_add(
    name: str = typer.Argument(..., help="Canonical name, e.g. 'Zeekr'."),
    kind: str = typer.Option("company", "--kind", help=f"One of: {', '.join(ENTITY_KINDS)}."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Parent entity (a model's brand, a brand's company)."),
    alias: list[str] = typer.Option([], "--alias", help="Another name for it; repeat for several."),
    note: str = typer.Option("", "--note", help="What the entity's figures cover."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an existing entity of that name."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Add an entity to the catalog.

    Example: redline entities add "Xiaomi YU9" --kind model --parent Xiaomi --alias YU9
    """
    def go() -> None:
        with open_store(db) as store:
            store.add_entity(Entity(name, kind, parent, tuple(alias), note), replace=replace)
        if json_:
            print_json({"added": name})
        else:
            console.print(f"added entity [bold]{escape(name)}[/] ({escape(kind)})", highlight=False)
    run(json_, go)


@entities_app.command("import")
def entities_import(
    path: str = typer.Argument(..., help="CSV with columns name,kind,parent,aliases,note (aliases ;-separated)."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Import entities from a CSV in the layout of ev_entities.csv.

    Example: redline entities import my_entities.csv
    """
    def go() -> None:
        with open_store(db) as store:
            n = store.import_entities(path)
        print_json({"imported": n}) if json_ else console.print(f"imported {n} entities from {path}", markup=False, highlight=False)
    run(json_, go)


@metrics_app.command("list")
def metrics_list(db: Optional[str] = DbOption, json_: bool = JsonOption) -> None:
    """List metrics with unit, aggregation and the phrases that name them.

    Example: redline metrics list
    """
    def go() -> None:
        with open_store(db) as store:
            ms = list(store.metrics().values())
        if json_:
            print_json([{"name": m.name, "unit": m.unit, "aggregation": m.aggregation, "aliases": list(m.aliases),
                         "description": m.description, "event_kind": m.event_kind, "target_of": m.target_of} for m in ms])
            return
        table = Table("name", "unit", "aggregation", "aliases")
        for m in ms:
            table.add_row(*(escape(c) for c in (m.name, m.unit, m.aggregation, "; ".join(m.aliases))))
        console.print(table)
    run(json_, go)


@metrics_app.command("add")
def metrics_add(
    name: str = typer.Argument(..., help="Metric name, snake_case, e.g. 'battery_capacity'."),
    unit: str = typer.Option(..., "--unit", help="Unit, e.g. vehicles, percent, CNY."),
    aggregation: str = typer.Option("none", "--aggregation", help="sum (flows), last (cumulative) or none (levels)."),
    alias: list[str] = typer.Option([], "--alias", help="A phrase that names the metric; repeat for several."),
    description: str = typer.Option("", "--description", help="One line on what the metric measures."),
    db: Optional[str] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Add (or replace) a metric.

    Example: redline metrics add exports --unit vehicles --aggregation sum --alias exports --alias "shipped abroad"
    """
    def go() -> None:
        with open_store(db) as store:
            store.add_metric(Metric(name, unit, aggregation, tuple(alias), description))  # type: ignore[arg-type]
        print_json({"added": name}) if json_ else console.print(f"added metric [bold]{escape(name)}[/]", highlight=False)
    run(json_, go)


def register(root: typer.Typer) -> None:
    root.add_typer(entities_app, name="entities")
    root.add_typer(metrics_app, name="metrics")
