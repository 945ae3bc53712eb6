"""PostgreSQL restarted while the web app is under load: 503 with Retry-After in the gap,
never a 500, and the pool recovers by itself once the server is back (docs/reliability.md).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.integration import private_pg
from tests.integration.test_api_actions import serve

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Load:
    """API readers and writers in threads, counting every answer by status."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.statuses: Counter[int] = Counter()
        self.retry_after: set[str] = set()
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.seeded = 0

    def _call(self, method: str, path: str, **options: object) -> None:
        try:
            answer = self.client.request(method, path, **options)  # type: ignore[arg-type]
        except httpx.TransportError as error:  # the server must answer, whatever happens
            with self.lock:
                self.failures.append(f"{method} {path}: {error!r}")
            return
        self._note(answer)

    def _note(self, answer: httpx.Response) -> None:
        with self.lock:
            self.statuses[answer.status_code] += 1
            if answer.status_code == 503:
                self.retry_after.add(answer.headers.get("Retry-After", ""))
            elif answer.status_code not in {200, 201}:
                self.failures.append(f"{answer.status_code} {answer.text[:200]}")

    def read(self) -> None:
        while not self.stopping.is_set():
            self._call("GET", "/api/v1/people")

    def write(self) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            self._call("POST", "/api/v1/people", json={"name": f"Load Writer {n}"})

    def since(self, mark: Counter[int]) -> Counter[int]:
        with self.lock:
            return self.statuses - mark

    def mark(self) -> Counter[int]:
        with self.lock:
            return Counter(self.statuses)


def test_a_database_restart_under_load_is_503_in_the_gap_and_recovers(tmp_path: Path) -> None:
    with (
        private_pg.private_server() as node,
        contextmanager(serve)(node.url(), tmp_path) as site,
        site.api() as client,
    ):
        load = Load(client)
        threads = [threading.Thread(target=f) for f in (load.read, load.read, load.write)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(2)
            before = load.mark()
            private_pg.stop(node)
            time.sleep(3)
            during = load.since(before)
            private_pg.start(node)
            time.sleep(2)  # the pool finds its dead connections and reconnects
            settled = load.mark()
            time.sleep(3)
            after = load.since(settled)
        finally:
            load.stopping.set()
            for thread in threads:
                thread.join(timeout=30)
    print(f"restart under load: before {before}, gap {during}, after {after}")
    assert before[200] > 0
    assert during[503] > 0, during
    assert load.retry_after == {"5"}
    assert after[200] > 0 and after[201] > 0, after
    assert set(after) <= {200, 201}, after
    assert load.statuses[500] == 0 and load.failures == [], load.failures[:5]
