"""The load driver: `kith serve` on a load database and CLIENTS members using it at once.

Each client is one member with their own login session (httpx, asyncio, its own cookies),
cycling through a mix of what members do: the dashboard, a person page of their garden, a
search, and sharing. The same clients then hit the trivial /health endpoint; the two run in
interleaved slices, so that other load on the machine falls on both alike, and throughput is
reported as a ratio to /health.

Where the app offers several routes for a kind (a group directory once it lands, else the
people search; the community's shared contacts once on the web, else the share preview),
the first that answers 200 to the first member is used, and the report names it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import httpx

from bench.load_data import LAST, PASSWORD, PEOPLE, login

CLIENTS = 64
MIX = ("dashboard", "person", "search", "person", "sharing")  # each client cycles through it
SEARCH_ROUTES = ("/directory?q={surname}", "/people?q={surname}")
SHARING_ROUTES = ("/group/shared", "/shared", "/share")
LOGIN_FIELDS = ("login", "username", "member")  # what a per-member login form may call it
_FIELD = re.compile(r'<input[^>]*\bname="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Tally:
    """One kind of request: how many, what failed, how long each took."""

    name: str
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100)[int(share * 100) - 1]


@dataclass(frozen=True)
class Routes:
    search: str  # a template with {surname}
    sharing: str
    login_field: str | None  # the login form's field for a member's login (None: one garden)

    @property
    def per_member(self) -> bool:
        """Each client logs in as its own member (else all as the one garden served)."""
        return self.login_field is not None


@dataclass(frozen=True)
class Outcome:
    mixed: Tally  # every request of the mix
    kinds: dict[str, Tally]
    health: Tally
    routes: Routes
    clients: int
    alone: dict[str, float]  # median seconds of each kind for one client alone, before the load

    @property
    def ratio(self) -> float:
        return self.mixed.per_second / self.health.per_second


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serves_every_member() -> bool:
    """Whether this kith serves a group's members at once (`kith serve`, per-member login)."""
    return importlib.util.find_spec("kith.app.member_logins") is not None


def start_server(url: str, port: int, today: date) -> subprocess.Popen[bytes]:
    """`kith serve` on the load database (every member), or before per-member login landed
    `kith --as member00000 serve` (one member's garden); returns once /health answers."""
    env = {**os.environ, "KITH_DATABASE_URL": url, "KITH_TODAY": today.isoformat()}
    env["KITH_CONFIG"] = os.devnull
    acting = [] if serves_every_member() else ["--as", login(0)]
    command = [sys.executable, "-m", "kith", *acting, "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"kith serve stopped with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("kith serve did not answer /health")


async def _sign_in(http: httpx.AsyncClient, member: int, login_field: str | None) -> None:
    page = await http.get("/login")
    found = _CSRF.search(page.text)
    if found is None:
        raise RuntimeError(f"no CSRF token on /login (HTTP {page.status_code})")
    form = {"csrf_token": found.group(1), "password": PASSWORD}
    if login_field:
        form[login_field] = login(member)
    answer = await http.post("/login", data=form)
    if answer.status_code != 303:
        raise RuntimeError(f"{login(member)} could not log in: HTTP {answer.status_code}")


async def _probe(http: httpx.AsyncClient, member: int) -> Routes:
    page = await http.get("/login")
    fields = set(_FIELD.findall(page.text))
    login_field = next((name for name in LOGIN_FIELDS if name in fields), None)
    await _sign_in(http, member, login_field)
    search = await _first_answering(
        http, [r.format(surname=LAST.split()[0]) for r in SEARCH_ROUTES]
    )
    sharing = await _first_answering(http, list(SHARING_ROUTES))
    return Routes(SEARCH_ROUTES[search], SHARING_ROUTES[sharing], login_field)


async def _first_answering(http: httpx.AsyncClient, paths: Sequence[str]) -> int:
    for n, path in enumerate(paths):
        if (await http.get(path)).status_code == 200:
            return n
    raise RuntimeError(f"none of {', '.join(paths)} answers 200")


def _paths(member: int, routes: Routes, turn: int) -> tuple[str, str]:
    """The kind and path of a client's `turn`-th request."""
    kind = MIX[turn % len(MIX)]
    if kind == "dashboard":
        return kind, "/"
    if kind == "person":
        return kind, f"/people/{member * PEOPLE + 1 + (turn * 37) % PEOPLE}"
    if kind == "search":
        surnames = LAST.split()
        return kind, routes.search.format(surname=surnames[(turn + member) % len(surnames)])
    return kind, routes.sharing


async def _slice(
    clients: list[tuple[int, httpx.AsyncClient]],
    routes: Routes,
    tallies: dict[str, Tally],
    seconds: float,
    health: bool,
) -> None:
    stop = time.monotonic() + seconds

    async def one(index: int, member: int, http: httpx.AsyncClient) -> None:
        turn = index  # clients start at different points of the mix
        while time.monotonic() < stop:
            kind, path = ("health", "/health") if health else _paths(member, routes, turn)
            turn += 1
            started = time.perf_counter()
            try:
                answer = await http.get(path)
                if answer.status_code != 200:
                    tallies[kind].failures[f"HTTP {answer.status_code}"] += 1
            except httpx.HTTPError as exc:
                tallies[kind].failures[type(exc).__name__] += 1
            tallies[kind].latencies.append(time.perf_counter() - started)

    begun = time.monotonic()
    await asyncio.gather(*(one(n, member, http) for n, (member, http) in enumerate(clients)))
    spent = time.monotonic() - begun
    for name in ("health",) if health else dict.fromkeys(MIX):
        tallies[name].seconds += spent


async def run_load(port: int, members: int, seconds: float, rounds: int = 4) -> Outcome:
    """CLIENTS members (spread over the `members`) for `seconds` each on the mix and /health."""
    base = f"http://127.0.0.1:{port}"
    chosen = [n * members // CLIENTS for n in range(min(CLIENTS, members))]
    # uvicorn closes a connection idle for 5 s; a client idle that long (waiting for the slow
    # requests of a slice to end) must not reuse it as the server closes it: drop it at 4 s.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=4)
    https = [httpx.AsyncClient(base_url=base, limits=limits, timeout=120) for _ in chosen]
    try:
        routes = await _probe(https[0], chosen[0])
        if not routes.per_member:  # one garden served: every client is its member
            chosen = [0] * len(chosen)
        await asyncio.gather(
            *(_sign_in(h, m, routes.login_field) for m, h in zip(chosen, https, strict=True))
        )
        clients = list(zip(chosen, https, strict=True))
        alone = await _alone(https[0], chosen[0], routes)
        tallies = {name: Tally(name) for name in (*MIX, "health")}
        for _ in range(rounds):
            await _slice(clients, routes, tallies, seconds / rounds, health=False)
            await _slice(clients, routes, tallies, seconds / rounds, health=True)
    finally:
        await asyncio.gather(*(h.aclose() for h in https))
    kinds = {name: tallies[name] for name in dict.fromkeys(MIX)}
    mixed = Tally("mixed", seconds=tallies["dashboard"].seconds)
    for tally in kinds.values():
        mixed.latencies += tally.latencies
        mixed.failures += tally.failures
    for tally in kinds.values():  # each kind's rate is its share of the mixed time
        tally.seconds = mixed.seconds
    return Outcome(mixed, kinds, tallies["health"], routes, len(clients), alone)


async def _alone(
    http: httpx.AsyncClient, member: int, routes: Routes, times: int = 10
) -> dict[str, float]:
    """Each kind's median time for one client with the server otherwise idle (warm)."""
    spent: dict[str, list[float]] = {}
    for turn in range(times * len(MIX)):
        kind, path = _paths(member, routes, turn)
        started = time.perf_counter()
        (await http.get(path)).raise_for_status()
        spent.setdefault(kind, []).append(time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(times):
        (await http.get("/health")).raise_for_status()
    spent["health"] = [(time.perf_counter() - started) / times]
    return {kind: statistics.median(values) for kind, values in spent.items()}
