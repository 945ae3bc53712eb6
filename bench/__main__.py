"""`python -m bench [NAME ...]`: run the benchmarks (all by default); each writes its section
of docs/performance.md. Benchmarks carry the speed targets; the test suite never times."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "bench_feed",
    "bench_rebuild",
    "bench_pairing",
    "bench_import",
    "bench_web",
    "bench_cli",
    "bench_parsers",
    "bench_trust",
    "bench_imap",
    "bench_paths",
    "bench_map",
    "bench_directory",
    "bench_community",
    "bench_stats",
)


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name.removeprefix('bench.')}")
        print(f"== {module.__name__}", flush=True)
        sys.argv = [module.__name__]  # each benchmark reads its own options, none given here
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
