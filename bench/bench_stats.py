"""The dashboard's stats after the judgement: `stats_of` over a row per person (the reference)
against `stats_arrays.judgement_stats` over the arrays, and the stats' SQL context, on the 1×
garden (20,000 people, 1,000,000 interactions) on SQLite and PostgreSQL.

Both stats paths run in the same process on the same judgement and must be equal. Times are
the median CPU time (`process_time`, the figure to read on a shared machine: the SQLite
queries run in-process) and the best wall time of REPEAT runs. KITH_BENCH_WEB_SQLITE_FROM /
KITH_BENCH_WEB_PG_TEMPLATE reuse built gardens, as in bench_web.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from bench.bench_web import TODAY, _postgres_garden, _sqlite_garden
from bench.report import write_section
from kith.app import reports
from kith.app.garden import open_garden
from kith.core.garden_judgement import judge_garden, stats_inputs
from kith.core.stats import stats_of
from kith.core.stats_arrays import judgement_stats
from kith.settings import Settings
from kith.store import aggregates
from kith.store.garden_columns import load_garden_columns

REPEAT = 9


def _timed(run: Callable[[], object]) -> str:
    cpu, wall = [], []
    for _ in range(REPEAT):
        started_cpu, started = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return f"{statistics.median(cpu) * 1000:.1f} | {min(wall) * 1000:.1f}"


def _rows(url: str) -> list[str]:
    garden = open_garden(Settings(database_url=url, today=TODAY), TODAY)
    try:
        account, rules = garden.account_id, garden.rules
        since = TODAY - timedelta(weeks=reports.EFFORT_WEEKS)
        start = TODAY - timedelta(days=rules.mirror_days)
        with garden.reading() as conn:
            columns = load_garden_columns(conn, account, rules, sources=True)
            assert columns is not None  # a garden built or copied here keeps its facts
            judged = judge_garden(columns, TODAY, rules)
            sources = columns.sources
            reference = stats_of(stats_inputs(judged, sources))
            assert judgement_stats(judged, sources) == reference
            parts: dict[str, Callable[[], object]] = {
                "`stats_of(stats_inputs(…))` (reference)": lambda: stats_of(
                    stats_inputs(judged, sources)
                ),
                "`judgement_stats`": lambda: judgement_stats(judged, sources),
                "`_context` (all of it)": lambda: reports._context(conn, garden),
                "`interactions_per_day`": lambda: aggregates.interactions_per_day(
                    conn, account, since, TODAY
                ),
                "`my_asks_and_gifts`": lambda: aggregates.my_asks_and_gifts(
                    conn, account, start, TODAY
                ),
            }
            return [f"| {name} | {_timed(run)} |" for name, run in parts.items()]
    finally:
        garden.engine.dispose()


def main() -> None:
    lines = []
    for database, garden in (("SQLite", _sqlite_garden), ("PostgreSQL", _postgres_garden)):
        with garden() as (url, built):
            table = [f"{database} ({built}):", "", "| part | CPU ms (median) | wall ms (best) |"]
            table += ["| --- | ---: | ---: |", *_rows(url), ""]
            print("\n".join(table), flush=True)
            lines += table
    body = (
        "The stats after the judgement, 1× garden, "
        f"{REPEAT} runs each (`python -m bench bench_stats`):\n\n" + "\n".join(lines)
    )
    write_section("Dashboard stats", body)


if __name__ == "__main__":
    main()
