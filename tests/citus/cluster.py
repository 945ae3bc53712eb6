"""A three-node Citus cluster on loopback, for the tests: build once per machine, start, stop.

The facts it follows are in ../shared/vendor/README.md: Citus 12.1.9 built from the vendored
tarball against the machine's PostgreSQL 15, data folders made by `initdb` as the `postgres`
user (initdb refuses root), `shared_preload_libraries = 'citus'`, a coordinator and two workers.
The build is cached machine-wide in CACHE_ROOT, keyed by the tarball's sha256, and skipped when
`citus.so` is already in PostgreSQL's lib folder. The PostgreSQL on 5432 is never touched:
the nodes take three free loopback ports and keep their sockets in their own folder.

Only the standard library at import (so that .ci/run can build before the venv exists);
psycopg is imported by the functions that talk to the nodes.

    python tests/citus/cluster.py build    # build and install Citus when missing, with timings
    python tests/citus/cluster.py up       # start a cluster, print its URL, stop on Enter
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TARBALL = PROJECT.parent / "shared" / "vendor" / "citus-12.1.9.tar.gz"
TARBALL_SHA256 = "344e48c6fd29dfd911aa7bcc4a6b1f1e6345b1579226a08f76769242f0226d62"
CACHE_ROOT = Path(os.environ.get("KITH_CITUS_CACHE", "/var/cache/kith-citus"))
# The Debian packages Citus's build needs (vendor README); .ci/run installs them.
BUILD_PACKAGES = (
    "postgresql-server-dev-15",
    "liblz4-dev",
    "libzstd-dev",
    "libkrb5-dev",
    "libselinux1-dev",
    "libxslt1-dev",
    "libpam0g-dev",
    "libreadline-dev",
)
POSTGRES_MAJOR = "15"
SERVER_USER = "postgres"  # initdb and the servers run as this user when we are root
NODE_NAMES = ("coordinator", "worker1", "worker2")
START_TIMEOUT_S = 60
# A test cluster: no durability, little memory (the machine is shared), quiet logs.
NODE_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "shared_preload_libraries": "'citus'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'32MB'",
    "max_connections": "100",
    "log_min_messages": "warning",
    # Loopback only: no TLS between the nodes (Citus asks for it by default).
    "citus.node_conninfo": "'sslmode=disable'",
    # Four shards per distributed table, not 32: each test distributes ~25 tables afresh, and
    # two workers need no more to show the placement (a real cluster keeps Citus's default).
    "citus.shard_count": "4",
}


class CitusUnavailable(RuntimeError):
    """Citus cannot be built or started here; the message says what is missing or failed."""


# --- building --------------------------------------------------------------------------------


def pg_config(option: str) -> str:
    found = shutil.which("pg_config")
    if found is None:
        raise CitusUnavailable("pg_config is not on PATH (install postgresql-server-dev-15)")
    return subprocess.run(
        [found, option], check=True, capture_output=True, text=True
    ).stdout.strip()


def citus_installed() -> bool:
    return (Path(pg_config("--pkglibdir")) / "citus.so").is_file() and (
        Path(pg_config("--sharedir")) / "extension" / "citus.control"
    ).is_file()


def missing_build_tools() -> list[str]:
    """What stops a build here (nothing when Citus is already installed)."""
    if shutil.which("pg_config") is None:
        return ["pg_config is not on PATH"]
    if citus_installed():
        return []
    if not TARBALL.is_file():
        return [f"the Citus tarball is not at {TARBALL}"]
    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        # Seen on a shared machine: configure then writes its own output into config.status.
        return ["/dev/null is not a character device (mknod -m 666 /dev/null c 1 3 repairs it)"]
    missing = [tool for tool in ("make", "gcc") if shutil.which(tool) is None]
    if not (Path(pg_config("--includedir-server")) / "postgres.h").is_file():
        missing.append("PostgreSQL 15's server headers")
    if missing:
        return [f"missing {', '.join(missing)} (apt-get install {' '.join(BUILD_PACKAGES)})"]
    return []


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class BuildReport:
    """What `ensure_installed` did, and how long each step took (seconds)."""

    action: str  # "already installed" | "installed from the cached build" | "built and installed"
    seconds: dict[str, float] = field(default_factory=dict)


def ensure_installed() -> BuildReport:
    """Build Citus from the vendored tarball once per machine and install it into PostgreSQL."""
    if citus_installed():
        return BuildReport("already installed")
    problems = missing_build_tools()
    if problems:
        raise CitusUnavailable("; ".join(problems))
    digest = sha256_of(TARBALL)
    if digest != TARBALL_SHA256:
        raise CitusUnavailable(f"{TARBALL} has sha256 {digest}, expected {TARBALL_SHA256}")
    cache = CACHE_ROOT / digest
    cache.mkdir(parents=True, exist_ok=True)
    # One build per machine even when several test runs start together.
    with (cache / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if citus_installed():  # another run installed it while we waited
            return BuildReport("already installed")
        return _build_and_install(cache)


def _build_and_install(cache: Path) -> BuildReport:
    source = cache / "src"
    built_marker = cache / "built"
    report = BuildReport("installed from the cached build")
    if not built_marker.exists():
        report.action = "built and installed"
        started = time.monotonic()
        shutil.rmtree(source, ignore_errors=True)
        _extract(TARBALL, source)
        _run(["./configure", "--without-libcurl"], source, cache / "configure.log")
        report.seconds["configure"] = time.monotonic() - started
        started = time.monotonic()
        _run(["make", f"-j{len(os.sched_getaffinity(0))}"], source, cache / "make.log")
        report.seconds["make"] = time.monotonic() - started
        built_marker.touch()
    started = time.monotonic()
    _run(["make", "install"], source, cache / "install.log")
    report.seconds["make install"] = time.monotonic() - started
    if not citus_installed():
        raise CitusUnavailable(f"make install did not install citus.so (see {cache})")
    return report


def _extract(tarball: Path, target: Path) -> None:
    """The tarball's single top folder becomes `target`."""
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")  # "data": no absolute paths, no links out
    (top,) = staging.iterdir()
    top.rename(target)
    staging.rmdir()


def _run(command: list[str], cwd: Path, log: Path) -> None:
    with log.open("w") as out:
        result = subprocess.run(command, check=False, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise CitusUnavailable(
            f"{' '.join(command)} failed in {cwd} (exit {result.returncode}, log {log}):\n"
            + "\n".join(tail)
        )


# --- running ---------------------------------------------------------------------------------


@dataclass
class Node:
    name: str
    port: int
    data: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"


@dataclass
class Cluster:
    """A running coordinator and two workers, all in `root` (removed by `stop`)."""

    root: Path
    nodes: list[Node]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def coordinator(self) -> Node:
        return self.nodes[0]

    @property
    def workers(self) -> list[Node]:
        return self.nodes[1:]


def free_ports(count: int) -> list[int]:
    """Ports the kernel offers on loopback now (held together so that they differ)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def _as_server_user() -> dict[str, object]:
    """subprocess arguments that run a command as `postgres` when we are root."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam(SERVER_USER)
    # HOME too: libpq in the servers (node to node) reads ~/.postgresql, which root's is not.
    env = {**os.environ, "HOME": account.pw_dir}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [], "env": env}


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(path, account.pw_uid, account.pw_gid)


def _server(command: list[str], log: Path | None = None) -> None:
    binary = Path(pg_config("--bindir")) / command[0]
    result = subprocess.run(
        [str(binary), *command[1:]],
        check=False,
        capture_output=True,
        text=True,
        cwd="/",  # the server user may not be able to enter our working folder
        **_as_server_user(),  # type: ignore[call-overload]  # user/group are typed per call
    )
    if result.returncode != 0:
        server_log = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise CitusUnavailable(
            f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()}\n{server_log}"
        )


def _init_node(node: Node) -> None:
    _server(["initdb", "-D", str(node.data), "-U", "postgres", "-A", "trust", "--no-sync"])
    settings = {**NODE_SETTINGS, "port": str(node.port), "unix_socket_directories": "'.'"}
    with (node.data / "postgresql.conf").open("a") as conf:
        conf.write("\n# kith's Citus test node\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())


def _start_node(node: Node) -> None:
    log = node.data / "server.log"
    _server(
        ["pg_ctl", "-D", str(node.data), "-l", str(log), "-w", "-t", str(START_TIMEOUT_S), "start"],
        log,
    )


def _stop_node(node: Node) -> None:
    if (node.data / "postmaster.pid").exists():
        _server(["pg_ctl", "-D", str(node.data), "-m", "immediate", "-w", "stop"])


def start_cluster(attempts: int = 3) -> Cluster:
    """Make three data folders, start them and join them into one Citus cluster.

    A free port can be taken by another program between our look and the server's bind; a
    failed start is retried on fresh ports, and the last failure is raised.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _start_cluster_once()
        except CitusUnavailable:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _start_cluster_once() -> Cluster:
    root = Path(tempfile.mkdtemp(prefix="kith-citus-"))
    _give_to_server_user(root)  # mkdtemp makes it 0700: only its owner may enter
    ports = free_ports(len(NODE_NAMES))
    cluster = Cluster(root, [Node(n, p, root / n) for n, p in zip(NODE_NAMES, ports, strict=True)])
    try:
        started = time.monotonic()
        for node in cluster.nodes:
            _init_node(node)
        cluster.seconds["initdb"] = time.monotonic() - started
        started = time.monotonic()
        for node in cluster.nodes:
            _start_node(node)
        cluster.seconds["start"] = time.monotonic() - started
        started = time.monotonic()
        _join(cluster)
        cluster.seconds["create extension and add nodes"] = time.monotonic() - started
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def _join(cluster: Cluster) -> None:
    import psycopg  # only the running part needs it (module docstring)

    try:
        for node in cluster.nodes:
            with psycopg.connect(node.conninfo(), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION citus")
        with psycopg.connect(cluster.coordinator.conninfo(), autocommit=True) as conn:
            conn.execute(
                "SELECT citus_set_coordinator_host('127.0.0.1', %s)", (cluster.coordinator.port,)
            )
            for worker in cluster.workers:
                conn.execute("SELECT citus_add_node('127.0.0.1', %s)", (worker.port,))
    except psycopg.Error as exc:
        raise CitusUnavailable(f"joining the nodes failed: {exc}") from exc


def stop_cluster(cluster: Cluster) -> None:
    """Stop every node that runs and remove the cluster's folder."""
    failures = []
    for node in cluster.nodes:
        try:
            _stop_node(node)
        except CitusUnavailable as exc:
            failures.append(str(exc))
    shutil.rmtree(cluster.root, ignore_errors=True)
    if failures:
        raise CitusUnavailable("; ".join(failures))


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


# --- command line ----------------------------------------------------------------------------


def _print_seconds(title: str, seconds: dict[str, float]) -> None:
    steps = ", ".join(f"{step} {value:.1f} s" for step, value in seconds.items())
    print(f"{title}: {steps or 'nothing to do'}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command not in {"build", "up"}:
        print("usage: cluster.py build | up", file=sys.stderr)
        return 2
    try:
        started = time.monotonic()
        report = ensure_installed()
        print(f"Citus 12.1.9: {report.action} in {time.monotonic() - started:.1f} s")
        _print_seconds("build steps", report.seconds)
        if command == "up":
            with running_cluster() as cluster:
                _print_seconds("cluster", cluster.seconds)
                print(f"coordinator: {cluster.coordinator.url()}  (Enter stops it)")
                sys.stdin.readline()
    except CitusUnavailable as exc:
        print(f"citus: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
