"""Human-readable output with Rich, read from the view models of kith.app (`*_views`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kith.app import person_views as v  # light: dataclasses over the model, no store
from kith.core.model import Person, Stage
from kith.core.wording import counted, plural, signed

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.garden_views import AskVerdict, FeedRow, WeedRow
    from kith.app.match_views import MeView
    from kith.app.quick_views import QuickCaptureView
    from kith.app.result_views import CheckupView, ShareView
    from kith.app.stats_views import StatsView
    from kith.app.views import ListedPerson

STAGE_STYLES = {
    "seed": "green",
    "growing": "bright_green",
    "trusted": "bold cyan",
    "dormant": "yellow",
    "weed": "red",
    "pruned": "dim",
}


def stage_text(stage: Stage | str) -> Text:
    name = stage.value if isinstance(stage, Stage) else stage
    return Text(name, style=STAGE_STYLES.get(name, ""))


def tags_line(label: str, values: Sequence[str]) -> str:
    return f"{label}: {', '.join(values) if values else '—'}"


def me(console: Console, me: MeView) -> None:
    console.print(f"[bold]{me.name}[/bold]")
    console.print(tags_line("interests", me.interests), markup=False)
    console.print(tags_line("needs", me.needs), markup=False)
    console.print(tags_line("offers", me.offers), markup=False)
    console.print(f"emails: {', '.join(me.emails) or '-'}", markup=False)


def person_saved(console: Console, verb: str, person: Person) -> None:
    console.print(Text.assemble(f"{verb} ", (person.name, "bold"), f" (#{person.id})"))


def profile(console: Console, p: v.ProfileView) -> None:
    console.print(Text.assemble((p.name, "bold"), f"  #{p.id}  ", stage_text(p.stage)))
    met_on = p.met_on.isoformat() if p.met_on else None
    facts = [
        ("company", p.company),
        ("title", p.title),
        ("emails", ", ".join(p.emails)),
        ("phones", ", ".join(p.phones)),
        ("met", " on ".join(x for x in (p.met_where, met_on) if x)),
        ("via", p.via),
        ("birthday", p.birthday.isoformat() if p.birthday else None),
        ("cadence", plural(p.cadence_days, "day") if p.cadence_days else None),
        ("note", p.note),
    ]
    for label, value in facts:
        if value:
            console.print(f"{label}: {value}", markup=False)
    for label, tags in (("interests", p.interests), ("needs", p.needs), ("offers", p.offers)):
        console.print(tags_line(label, tags), markup=False)
    scores = [f"strength {p.strength:.2f}", f"trust {p.trust:.2f}", f"balance {signed(p.balance)}"]
    if p.next_feed:
        scores.append(f"next feed {p.next_feed.isoformat()}")
    console.print(" · ".join(scores))
    for reason in p.reasons:
        console.print(f"  • {reason}", markup=False)
    sure = f" (uncertainty {p.trust_uncertainty:.2f})"
    for reason in p.trust_reasons:
        console.print(f"  • trust{sure}: {reason}", markup=False)
        sure = ""
    counts = ", ".join(_count_words(label, n) for label, n in p.counts.labelled())
    console.print(f"history: {counts}")
    if p.timeline:
        console.print(timeline_table(p.timeline))


_LABELS = {"their_asks": ("ask of theirs", "asks of theirs")}


def _count_words(label: str, count: int) -> str:
    """'1 interaction', '2 breaches', '3 given' (help given and received stay as they are)."""
    if label in _LABELS:
        return plural(count, *_LABELS[label])
    return counted(count, label)


def timeline_table(events: Sequence[v.TimelineEvent]) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("on", "what", "detail"):
        table.add_column(column)
    for event in events:
        table.add_row(event.on.isoformat(), event.type, _event_detail(event))
    return table


def _event_detail(event: v.TimelineEvent) -> str:
    match event:
        case v.InteractionEvent():
            parts = [event.kind, f"by {event.by}"]
            if event.unanswered:
                parts.append("unanswered")
            if event.topics:
                parts.append("topics: " + ", ".join(event.topics))
            if event.note:
                parts.append(event.note)
            return " · ".join(parts)
        case v.ExchangeEvent():
            return f"{event.what} ({event.kind}, weight {event.weight})"
        case v.AskEvent():
            pitch = "pitch, " if event.pitch else ""
            return f"{event.what} ({pitch}{event.size}, {event.outcome})"
        case v.BreachEvent(resolved_on=None):
            return f"{event.what} (not made right)"
        case v.BreachEvent():
            mended = f": {event.resolution}" if event.resolution else ""
            return f"{event.what} (made right on {event.resolved_on}{mended})"
        case v.TheirAskEvent():
            early = ", before the relationship could carry it" if event.premature else ""
            verb = "they pitched" if event.type == "their_pitch" else "they asked"
            return f"{event.what} ({verb}{early})"
        case v.IntroEvent():
            return f"{event.state} {event.why or ''}".strip()


def people_table(console: Console, listed: Sequence[ListedPerson], filtered: bool = False) -> None:
    if not listed:
        console.print(
            "nobody matches"
            if filtered
            else "nobody here yet: `kith seed NAME` plants the first connection"
        )
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "name", "stage", "company"):
        table.add_column(column)
    for item in listed:
        table.add_row(f"#{item.id}", item.name, stage_text(item.stage), item.company or "")
    console.print(table)
    console.print(plural(len(listed), "person", "people"))


def feed(console: Console, rows: Sequence[FeedRow]) -> None:
    if not rows:
        console.print("nobody is due today: the garden is well fed")
        return
    for row in rows:
        console.print(
            Text.assemble(
                (row.name, "bold"), "  ", stage_text(row.stage), f"  due {row.due.isoformat()}"
            )
        )
        console.print(f"  why: {row.why}", markup=False)
        console.print(f"  → {row.gesture}", markup=False)


def weed(console: Console, rows: Sequence[WeedRow]) -> None:
    if not rows:
        console.print("no weeds: nothing to prune")
        return
    for row in rows:
        console.print(Text.assemble((row.name, "bold"), "  ", stage_text(row.stage)))
        for reason in row.reasons:
            console.print(f"  • {reason}", markup=False)
        for line in row.context:
            console.print(Text(f"    ({line})", style="dim"))
    console.print("prune with: kith prune PERSON --reason ...  (reversible with kith restore)")


def ask(console: Console, verdict: AskVerdict) -> None:
    ready = (
        Text("ready", style="bold green") if verdict.ready else Text("not ready", style="bold red")
    )
    console.print(Text.assemble(ready, f" — {verdict.name} is ", stage_text(verdict.stage)))
    for reason in verdict.reasons:
        console.print(f"  • {reason}", markup=False)
    if verdict.give_first:
        console.print("give first:" if verdict.stage != "weed" else "instead:")
        for suggestion in verdict.give_first:
            console.print(f"  → {suggestion}", markup=False)
    if verdict.max_size:
        console.print(f"the relationship carries a {verdict.max_size.value} ask today")
    if verdict.recorded:
        console.print("ask recorded; close it later with: kith ask-outcome PERSON yes|no|ignored")


def stats(console: Console, shown: StatsView) -> None:
    stages = "  ".join(f"{stage} {count}" for stage, count in shown.by_stage.items())
    console.print(f"[bold]by stage[/bold]  {stages}")
    table = Table(title="funnel by source (law of averages)", box=None, header_style="bold")
    for column in ("source", "seeded", "grew", "trusted"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for row in shown.funnel_by_source:
        table.add_row(
            row.key,
            str(row.seeded),
            f"{row.grew} ({row.grew_share:.0%})",
            f"{row.trusted} ({row.trusted_share:.0%})",
        )
    console.print(table)
    recent = shown.effort[-8:]
    if recent:
        effort = Table(title="effort against growth (last weeks)", box=None, header_style="bold")
        for column in ("week", "interactions", "new people", "people"):
            effort.add_column(column, justify="right")
        for week in recent:
            effort.add_row(
                week.week.isoformat(),
                str(week.interactions),
                str(week.new_people),
                str(week.people_total),
            )
        console.print(effort)
    for line in shown.mirror.lines if shown.mirror else ():
        console.print(f"mirror: {line}", markup=False)


def share(console: Console, shown: ShareView) -> None:
    shared = plural(shown.shared, "person", "people")
    console.print(f"shared {shared} you can vouch for in {shown.file}", markup=False)
    if shown.held_back:
        console.print(f"held back {len(shown.held_back)}:")
        for held in shown.held_back:
            console.print(f"  • {held.name}: {held.why}", markup=False)


def doctor(console: Console, found: CheckupView) -> None:
    """What `kith doctor` found, one line per check."""
    if found.integrity is None:
        console.print("database: integrity is PostgreSQL's to keep (no SQLite check)")
    elif not found.integrity:
        console.print("database: integrity ok")
    else:
        console.print("database: integrity problems:\n  " + "\n  ".join(found.integrity))
    facts = found.facts
    if not facts.kept:
        console.print("facts: not kept yet (kith doctor --rebuild-facts keeps them)")
    elif not facts.drift:
        console.print("facts: the kept facts agree with the history")
    else:
        names = ", ".join(f"{d.name} (#{d.id})" for d in facts.drift)
        console.print(f"facts: {len(facts.drift)} kept out of step with the history: {names}")
    if facts.rebuilt is not None:
        console.print(f"facts: rebuilt from the history for {facts.rebuilt} people")


def quick_capture(console: Console, view: QuickCaptureView) -> None:
    """What a quick capture saved, or (not saved) would save and what stands in its way."""
    prefix = "" if view.saved else "would: "
    console.print(prefix + view.summary, markup=False)
    if view.extra_note:
        console.print(f"  note: {view.extra_note}", markup=False)
    if view.problem:
        console.print(view.problem, markup=False)
        for candidate in view.candidates:
            console.print(f"  {candidate.name} (#{candidate.id})", markup=False)
