"""CLI commands of the network_map area (thin: parse, call the library, print)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from juntos.clock import system_clock
from juntos.commandline import open_database
from juntos.db import Database
from juntos.network_map import judgements, layout, questions, store
from juntos.network_map.cache import NetworkCache
from juntos.network_map.campaign_link import campaign_inputs
from juntos.network_map.filters import MapFilter, apply
from juntos.network_map.focus import CAP_CHOICES, FOCUS_CAP
from juntos.network_map.graph import Network, network
from juntos.network_map.imports import Choices, NetworkImport
from juntos.network_map.interop import exporter, importer, kinds, limits
from juntos.network_map.measures import METRIC_NAMES
from juntos.network_map.metrics import ranked
from juntos.network_map.render import svg
from juntos.organisations import store as orgs
from juntos.organisations.models import KINDS


def _db(ctx: click.Context) -> Database:
    return open_database(ctx)


@click.group("network")
def network_group() -> None:
    """The network map: import, export, metrics and questions."""


@network_group.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(importer.FORMATS), default=None,
              help="Default: from the file name (.gexf, .graphml, .json, .xlsx, .csv).")
@click.option("--dry-run", is_flag=True, help="Show the preview; store nothing.")
@click.option("--conflicts", type=click.Choice(importer.CONFLICT_CHOICES), default="new",
              show_default=True,
              help="Rows with an existing organisation's name in another country: create them "
                   "as new actors, or match the existing organisation.")
@click.option("--kind", "kind_choices", multiple=True, metavar="TYPE=KIND",
              help="The kind of new actors whose type in the file names none for sure, "
                   "e.g. --kind Organization=cso (repeatable); '*=KIND' for every other.")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], fmt: str | None,
                   dry_run: bool, conflicts: str, kind_choices: tuple[str, ...]) -> None:
    """Import actors and ties; all or nothing.

    \b
    Examples:
      juntos network import map.gexf --dry-run
      juntos network import elements.csv connections.csv
      juntos network import kumu.xlsx --kind Organization=cso --kind Person=public_role
    """
    db = _db(ctx)
    job = NetworkImport.of_files(files, fmt or "")
    chosen: dict[str, str] = {}
    for item in kind_choices:
        type_text, _sep, kind = item.rpartition("=")
        if not type_text or kind not in KINDS:
            raise click.BadParameter(f"{item!r}: give TYPE=KIND, KIND one of "
                                     f"{', '.join(KINDS)}.", param_hint="--kind")
        chosen[kinds.ANY if type_text == kinds.ANY else kinds.fold(type_text)] = kind
    with limits.allowing(limits.BACKGROUND_SECONDS):  # at a terminal, not a web page
        preview = job.preview(db, Choices(default=conflicts, kinds=chosen))
    summary = preview.summary()
    click.echo("Preview: {new} new, {matched} matched, {conflicting} conflicting actors; "
               "{ties} ties; {errors} rows in error.".format(**summary))
    for where, message in preview.errors[:20]:
        click.echo(f"  error: {where}: {message}", err=True)
    for actor in preview.actors:
        if actor.status == "conflicting" and actor.existing:
            click.echo(f"  conflicting: {actor.where}: {actor.values['name']!r} "
                       f"({actor.values['country']}) vs existing {actor.existing['slug']} "
                       f"({actor.existing['country']}): "
                       f"{'match it' if actor.resolution == 'match' else 'create as new'}")
    for shown, rows in preview.unresolved.values():
        click.echo(f"  no kind for type {shown!r} ({rows} rows): give --kind "
                   f"{shown!r}=KIND", err=True)
    if dry_run:
        return
    result = job.commit(db, preview, now=system_clock(), by=None)
    click.echo(f"Imported: {result['created']} new, {result['matched']} matched; "
               f"{result['ties']} ties.")


@network_group.command("export")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (csv: FILE-elements.csv and FILE-connections.csv).")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the whole network.

    \b
    Example:
      juntos network export --format gexf -o network.gexf
    """
    db, cache = _db(ctx), NetworkCache()
    net, m = cache.network(db), cache.metrics(db)
    attrs = store.actor_attributes(db)
    positions = layout.current(db, cache).positions
    if fmt == "csv":
        elements, connections = exporter.kumu_csv(net, attrs)
        if output is None:
            click.echo(elements + "\n" + connections)
            return
        stem = output.with_suffix("")
        Path(f"{stem}-elements.csv").write_text(elements, encoding="utf-8")
        Path(f"{stem}-connections.csv").write_text(connections, encoding="utf-8")
        click.echo(f"Wrote {stem}-elements.csv and {stem}-connections.csv.")
        return
    text = {
        "gexf": lambda: exporter.gexf(net, m, positions, attrs),
        "graphml": lambda: exporter.graphml(net, attrs),
        "json": lambda: exporter.node_link(net, m, attrs, {
            org: [judgements.public_fields(j) for j in rows]
            for org, rows in judgements.by_actor(db, user=None, trusted=True).items()}),
        "svg": lambda: svg(net, m, apply(net, m, MapFilter()), positions, title="Juntos"),
    }[fmt]()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")


@network_group.command("judge")
@click.argument("actor")
@click.option("--issue", default="", help="The issue, as free text.")
@click.option("--campaign", default="", help="Or a campaign's slug as the issue.")
@click.option("--influence", type=click.IntRange(0, 5), required=True,
              help="Judged influence on the issue, 0 (none) to 5.")
@click.option("--stance", type=click.Choice(["ally", "neutral", "opponent"]), required=True)
@click.option("--confidence", type=click.Choice(judgements.CONFIDENCES), default="medium",
              show_default=True)
@click.option("--note", default="")
@click.pass_context
def judge_command(ctx: click.Context, actor: str, issue: str, campaign: str, influence: int,
                  stance: str, confidence: str, note: str) -> None:
    """Record a judgement on an actor (as in Net-Map), kept apart from computed measures.

    \b
    Example:
      juntos network judge mz-ministerio-saude --issue "health budget" --influence 5 \\
        --stance opponent --confidence high
    """
    db = _db(ctx)
    org = orgs.get(db, actor)
    campaign_id = None
    if campaign:
        campaign_id = campaign_inputs(db, campaign, trusted=True)["campaign"]["id"]
    judgement = judgements.JudgementInput.validated(
        org_id=org["id"], issue=issue, campaign_id=campaign_id, influence=influence,
        stance=stance, confidence=confidence, note=note)
    judgements.add(db, judgement, now=system_clock(), by=None)
    click.echo(f"Recorded: {org['name']} — influence {influence}, {stance} ({confidence}).")


@network_group.command("judgements")
@click.argument("actor")
@click.pass_context
def judgements_command(ctx: click.Context, actor: str) -> None:
    """List what people judged of an actor (newest first)."""
    db = _db(ctx)
    org = orgs.get(db, actor)
    rows = judgements.for_actor(db, org["id"], user=None, trusted=True)
    if not rows:
        click.echo("No judgement recorded.")
    for j in rows:
        click.echo(f"{j['recorded_at'][:10]}  {j['issue_label']}: influence {j['influence']}, "
                   f"{j['stance']} ({j['confidence']}){'  ' + j['note'] if j['note'] else ''}")


@network_group.command("metrics")
@click.option("--top", "n", type=int, default=10, show_default=True)
@click.option("--by", type=click.Choice(METRIC_NAMES), default="betweenness", show_default=True)
@click.pass_context
def metrics_command(ctx: click.Context, n: int, by: str) -> None:
    """Network summary and the actors highest on a measure (structural, not influence).

    \b
    Example:
      juntos network metrics --top 5 --by pagerank
    """
    db, cache = _db(ctx), NetworkCache()
    m = cache.metrics(db)
    summary = m.network
    approx = "" if summary["betweenness_exact"] else (
        f" (betweenness approximate: {summary['betweenness_sample']} sampled sources)")
    click.echo(f"{summary['actors']} actors, {summary['ties']} ties, density "
               f"{summary['density']}, {summary['components']} components, "
               f"{summary['communities']} communities{approx}")
    for row in ranked(cache.network(db), m, by=by, n=n):
        click.echo(f"{row[by]!s:>10}  {row['slug']}  {row['name']}")


def _names(net: Network, ids: list[int]) -> str:
    return " -> ".join(net.actors[a]["slug"] for a in ids) or "(no path along ally ties)"


@network_group.command("path")
@click.argument("source")
@click.argument("target")
@click.pass_context
def path_command(ctx: click.Context, source: str, target: str) -> None:
    """Introduction paths along ally ties: shortest and strongest.

    \b
    Example:
      juntos network path samvirke-dk mz-ministerio-saude
    """
    net = network(_db(ctx))
    paths = questions.introduction_paths(net, source, target)
    click.echo(f"shortest:  {_names(net, paths.shortest)}")
    click.echo(f"strongest: {_names(net, paths.strongest)}")


@network_group.command("ego")
@click.argument("actor")
@click.option("--hops", type=click.IntRange(1, 3), default=1, show_default=True)
@click.option("--cap", type=click.Choice([str(c) for c in CAP_CHOICES]), default=str(FOCUS_CAP),
              show_default=True, help="At most this many actors, nearest first.")
@click.option("--expand", "expand", multiple=True, metavar="TIE_KIND",
              help="Also show the actors the cap hid that are reached through this tie kind.")
@click.pass_context
def ego_command(ctx: click.Context, actor: str, hops: int, cap: str,
                expand: tuple[str, ...]) -> None:
    """The ego network of an actor: who is within 1-3 ties, capped, and what the cap hid.

    \b
    Example:
      juntos network ego forum-juntos-mz --hops 2 --cap 50 --expand funds
    """
    db, cache = _db(ctx), NetworkCache()
    net, m = cache.network(db), cache.metrics(db)
    view = apply(net, m, MapFilter(focus=actor, hops=hops, cap=int(cap), expand=expand))
    focus = view.focus
    assert focus is not None
    click.echo(f"{len(view.actor_ids)} actors and {len(view.ties)} ties within {hops} hops of "
               f"{actor}" + (f" (expanded through: {', '.join(focus.expanded)})"
                             if focus.expanded else ""))
    for a in sorted(view.actor_ids, key=lambda a: net.actors[a]["name"]):
        click.echo(f"  {net.actors[a]['slug']}  {net.actors[a]['name']}")
    if focus.hidden:
        click.echo(f"{focus.hidden} more actors within {hops} hops are hidden by the cap.")
        for kind, added in focus.offers:
            click.echo(f"  --expand '{kind}' shows {added} more")


@network_group.command("recommend")
@click.argument("campaign", required=False)
@click.option("--partner", "partners", multiple=True, help="Partner slug (repeatable).")
@click.option("--theme", "themes", multiple=True)
@click.option("--country", "countries", multiple=True)
@click.option("--top", "n", type=int, default=10, show_default=True)
@click.pass_context
def recommend_command(ctx: click.Context, campaign: str | None, partners: tuple[str, ...],
                      themes: tuple[str, ...], countries: tuple[str, ...], n: int) -> None:
    """Actors tied to a campaign's partners, not yet partners, with the reasons.

    \b
    Examples:
      juntos network recommend my-campaign
      juntos network recommend --partner samvirke-dk --theme health --country MZ
    """
    db = _db(ctx)
    net = network(db)
    inputs = campaign_inputs(db, campaign, trusted=True) if campaign else {
        "partners": [], "themes": [], "countries": []}
    ids = inputs["partners"] + [orgs.get(db, slug)["id"] for slug in partners]
    rows = questions.recommend(net, partners=ids, themes=[*inputs["themes"], *themes],
                               countries=[*inputs["countries"], *countries], n=n)
    for row in rows:
        reasons = [f"tied to {', '.join(row['tied_to'])}"]
        if row["shared_themes"]:
            reasons.append(f"themes {', '.join(row['shared_themes'])}")
        if row["country_match"]:
            reasons.append(f"in {row['country']}")
        click.echo(f"{row['score']:>6}  {row['slug']}  ({'; '.join(reasons)})")


@network_group.command("brokers")
@click.argument("group_a")
@click.argument("group_b")
@click.pass_context
def brokers_command(ctx: click.Context, group_a: str, group_b: str) -> None:
    """Brokers between two groups: community:N or theme:NAME.

    \b
    Example:
      juntos network brokers theme:health "theme:women's rights"
    """
    db, cache = _db(ctx), NetworkCache()
    for row in questions.brokers(cache.network(db), cache.metrics(db), group_a, group_b):
        click.echo(f"{row['score']:>8}  {row['slug']}  {row['name']}")


@network_group.command("changes")
@click.argument("before")
@click.argument("after")
@click.pass_context
def changes_command(ctx: click.Context, before: str, after: str) -> None:
    """Ties new and lost between two dates (YYYY-MM-DD).

    \b
    Example:
      juntos network changes 2025-01-01 2026-01-01
    """
    net = network(_db(ctx))
    MapFilter.from_query({"at": before})
    MapFilter.from_query({"at": after})
    result = questions.changes(net, before, after)
    for label in ("new", "lost"):
        click.echo(f"{label}: {len(result[label])}")
        for t in result[label]:
            click.echo(f"  {net.actors[t['from_id']]['slug']} -[{t['kind']}]-> "
                       f"{net.actors[t['to_id']]['slug']}")


@network_group.command("layout")
@click.pass_context
def layout_command(ctx: click.Context) -> None:
    """Compute and store the map layout now (the web app otherwise does it in the background)."""
    seconds = layout.refresh(_db(ctx))
    click.echo(json.dumps({"seconds": round(seconds, 2)}))


commands: list[click.Command] = [network_group]
