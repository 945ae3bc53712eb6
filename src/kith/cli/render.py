"""Human-readable output with Rich (the JSON shapes live in kith.app.views)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from kith.core.model import Me, Person
from kith.core.wording import counted, plural, signed

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.views import ListedPerson

STAGE_STYLES = {
    "seed": "green",
    "growing": "bright_green",
    "trusted": "bold cyan",
    "dormant": "yellow",
    "weed": "red",
    "pruned": "dim",
}


def stage_text(stage: str) -> Text:
    return Text(stage, style=STAGE_STYLES.get(stage, ""))


def tags_line(label: str, values: Sequence[str]) -> str:
    return f"{label}: {', '.join(values) if values else '—'}"


def me(console: Console, me: Me) -> None:
    console.print(f"[bold]{me.name}[/bold]")
    console.print(tags_line("interests", me.interests), markup=False)
    console.print(tags_line("needs", me.needs), markup=False)
    console.print(tags_line("offers", me.offers), markup=False)


def person_saved(console: Console, verb: str, person: Person) -> None:
    console.print(Text.assemble(f"{verb} ", (person.name, "bold"), f" (#{person.id})"))


def profile(console: Console, doc: dict[str, Any]) -> None:
    title = Text.assemble((doc["name"], "bold"), f"  #{doc['id']}  ", stage_text(doc["stage"]))
    console.print(title)
    facts = [
        ("company", doc["company"]),
        ("title", doc["title"]),
        ("emails", ", ".join(doc["emails"])),
        ("phones", ", ".join(doc["phones"])),
        ("met", " on ".join(x for x in (doc["met_where"], doc["met_on"]) if x)),
        ("via", doc["via"]),
        ("birthday", doc["birthday"]),
        ("cadence", plural(doc["cadence_days"], "day") if doc["cadence_days"] else None),
        ("note", doc["note"]),
    ]
    for label, value in facts:
        if value:
            console.print(f"{label}: {value}", markup=False)
    for label in ("interests", "needs", "offers"):
        console.print(tags_line(label, doc[label]), markup=False)
    scores = [f"{key} {doc[key]:.2f}" for key in ("strength", "trust") if doc[key] is not None]
    if doc["balance"] is not None:
        scores.append(f"balance {signed(doc['balance'])}")
    if doc["next_feed"]:
        scores.append(f"next feed {doc['next_feed']}")
    if scores:
        console.print(" · ".join(scores))
    for reason in doc["reasons"]:
        console.print(f"  • {reason}", markup=False)
    uncertainty = doc.get("trust_uncertainty")
    sure = f" (uncertainty {uncertainty:.2f})" if uncertainty is not None else ""
    for reason in doc.get("trust_reasons", ()):
        console.print(f"  • trust{sure}: {reason}", markup=False)
        sure = ""
    counts = ", ".join(_count_words(label, n) for label, n in doc["counts"].items())
    console.print(f"history: {counts}")
    if doc["timeline"]:
        console.print(timeline_table(doc["timeline"]))


_LABELS = {"their_asks": ("ask of theirs", "asks of theirs")}


def _count_words(label: str, count: int) -> str:
    """'1 interaction', '2 breaches', '3 given' (help given and received stay as they are)."""
    if label in _LABELS:
        return plural(count, *_LABELS[label])
    return counted(count, label)


def timeline_table(events: list[dict[str, Any]]) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("on", "what", "detail"):
        table.add_column(column)
    for event in events:
        table.add_row(event["on"], event["type"], _event_detail(event))
    return table


def _event_detail(event: dict[str, Any]) -> str:
    kind = event["type"]
    if kind == "interaction":
        parts = [event["kind"], f"by {event['by']}"]
        if event["unanswered"]:
            parts.append("unanswered")
        if event["topics"]:
            parts.append("topics: " + ", ".join(event["topics"]))
        if event["note"]:
            parts.append(event["note"])
        return " · ".join(parts)
    if kind in ("given", "received"):
        return f"{event['what']} ({event['kind']}, weight {event['weight']})"
    if kind == "ask":
        pitch = "pitch, " if event["pitch"] else ""
        return f"{event['what']} ({pitch}{event['size']}, {event['outcome']})"
    if kind == "breach":
        if event.get("resolved_on"):
            mended = f": {event['resolution']}" if event.get("resolution") else ""
            return f"{event['what']} (made right on {event['resolved_on']}{mended})"
        return f"{event['what']} (not made right)"
    if kind in ("their_ask", "their_pitch"):
        early = ", before the relationship could carry it" if event.get("premature") else ""
        verb = "they pitched" if kind == "their_pitch" else "they asked"
        return f"{event['what']} ({verb}{early})"
    return f"{event.get('state', '')} {event.get('why') or ''}".strip()


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
        table.add_row(f"#{item.id}", item.name, stage_text(item.stage.value), item.company or "")
    console.print(table)
    console.print(plural(len(listed), "person", "people"))


def feed(console: Console, items: list[dict[str, Any]]) -> None:
    if not items:
        console.print("nobody is due today: the garden is well fed")
        return
    for item in items:
        console.print(
            Text.assemble(
                (item["name"], "bold"), "  ", stage_text(item["stage"]), f"  due {item['due']}"
            )
        )
        console.print(f"  why: {item['why']}", markup=False)
        console.print(f"  → {item['gesture']}", markup=False)


def weed(console: Console, items: list[dict[str, Any]]) -> None:
    if not items:
        console.print("no weeds: nothing to prune")
        return
    for item in items:
        console.print(Text.assemble((item["name"], "bold"), "  ", stage_text(item["stage"])))
        for reason in item["reasons"]:
            console.print(f"  • {reason}", markup=False)
        for line in item.get("context", ()):
            console.print(Text(f"    ({line})", style="dim"))
    console.print("prune with: kith prune PERSON --reason ...  (reversible with kith restore)")


def ask(console: Console, doc: dict[str, Any]) -> None:
    verdict = (
        Text("ready", style="bold green") if doc["ready"] else Text("not ready", style="bold red")
    )
    console.print(Text.assemble(verdict, f" — {doc['name']} is ", stage_text(doc["stage"])))
    for reason in doc["reasons"]:
        console.print(f"  • {reason}", markup=False)
    if doc["give_first"]:
        console.print("give first:" if doc["stage"] != "weed" else "instead:")
        for suggestion in doc["give_first"]:
            console.print(f"  → {suggestion}", markup=False)
    if doc["max_size"]:
        console.print(f"the relationship carries a {doc['max_size']} ask today")
    if doc["recorded"]:
        console.print("ask recorded; close it later with: kith ask-outcome PERSON yes|no|ignored")


def stats(console: Console, doc: dict[str, Any]) -> None:
    stages = "  ".join(f"{stage} {count}" for stage, count in doc["by_stage"].items())
    console.print(f"[bold]by stage[/bold]  {stages}")
    table = Table(title="funnel by source (law of averages)", box=None, header_style="bold")
    for column in ("source", "seeded", "grew", "trusted"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for row in doc["funnel_by_source"]:
        table.add_row(
            row["key"],
            str(row["seeded"]),
            f"{row['grew']} ({row['grew_share']:.0%})",
            f"{row['trusted']} ({row['trusted_share']:.0%})",
        )
    console.print(table)
    recent = doc["effort"][-8:]
    if recent:
        effort = Table(title="effort against growth (last weeks)", box=None, header_style="bold")
        for column in ("week", "interactions", "new people", "people"):
            effort.add_column(column, justify="right")
        for row in recent:
            effort.add_row(
                row["week"],
                str(row["interactions"]),
                str(row["new_people"]),
                str(row["people_total"]),
            )
        console.print(effort)
    if doc.get("mirror"):
        for line in doc["mirror"]["lines"]:
            console.print(f"mirror: {line}", markup=False)


def share(console: Console, doc: dict[str, Any]) -> None:
    shared = plural(doc["shared"], "person", "people")
    console.print(f"shared {shared} you can vouch for in {doc['file']}", markup=False)
    if doc["held_back"]:
        console.print(f"held back {len(doc['held_back'])}:")
        for held in doc["held_back"]:
            console.print(f"  • {held['name']}: {held['why']}", markup=False)


def doctor(console: Console, doc: dict[str, Any]) -> None:
    """What `kith doctor` found, one line per check."""
    integrity = doc["integrity"]
    if integrity is None:
        console.print("database: integrity is PostgreSQL's to keep (no SQLite check)")
    elif not integrity:
        console.print("database: integrity ok")
    else:
        console.print("database: integrity problems:\n  " + "\n  ".join(integrity))
    facts = doc["facts"]
    if not facts["kept"]:
        console.print("facts: not kept yet (kith doctor --rebuild-facts keeps them)")
    elif not facts["drift"]:
        console.print("facts: the kept facts agree with the history")
    else:
        names = ", ".join(f"{d['name']} (#{d['id']})" for d in facts["drift"])
        console.print(f"facts: {len(facts['drift'])} kept out of step with the history: {names}")
    if facts["rebuilt"] is not None:
        console.print(f"facts: rebuilt from the history for {facts['rebuilt']} people")
