"""`rasad serve --workers N`: N server processes, each with a listening socket of its own on the
same address (``SO_REUSEPORT``), so that the kernel spreads the connections evenly over them.

uvicorn's own ``--workers`` shares one listening socket between its processes: whichever process
wakes first accepts, and kept-alive connections stay where they landed, so with 50 clients one
worker may serve most of them while the other idles (measured on 2026-12-06: filtered p95 321 ms
with two workers against 174 ms with one).  With a socket per process the kernel hashes each new
connection to one of them.

`run_workers(host, port, workers)` first checks that the address is free (a socket bound without
``SO_REUSEPORT``: another server on the port, even another ``rasad serve --workers``, is E504
rather than a silent sharer), then starts the workers (``spawn``: each imports the app, its
database and token named in the environment, and builds its own in-memory copy) and waits. A
SIGTERM or Ctrl+C stops them all; so does one of them ending; a worker whose parent is gone stops
itself.  Where the platform has no ``SO_REUSEPORT``, `rasad serve` uses uvicorn's workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.connection import wait
from typing import Any

from rasad.errors import ConfigError

APP = "rasad.web.api:app_from_environment"
BACKLOG = 2048
LOOP = "asyncio"
"""uvicorn's event loop for `rasad serve`, named rather than left to uvicorn (which takes uvloop
whenever it is installed, as ``uvicorn[standard]`` installs it): measured on 2026-12-06 with 50
wrk connections on the corpus, uvloop spent about 0.2 ms less CPU per request but answered the
filtered lists with a p95 of 0.5-2.6 s against 0.25-0.45 s for asyncio's loop (the same median):
it let some connections wait behind others."""


def reuse_port_available() -> bool:
    """Whether this platform lets several sockets listen on one address."""
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_free(host: str, port: int) -> None:
    """E504 when something already listens on (host, port)."""
    probe = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                          code="E504") from None
    finally:
        probe.close()


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


def _worker(host: str, port: int, parent: int) -> None:
    """One server process: its own socket, the app from the environment."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(APP, factory=True, log_level="warning",
                                            loop=LOOP))

    def watch_parent() -> None:
        while not server.should_exit:
            if os.getppid() != parent:  # the parent was killed: do not outlive it
                server.should_exit = True
            time.sleep(1.0)

    threading.Thread(target=watch_parent, daemon=True).start()
    server.run(sockets=[_listen(host, port)])


def run_workers(host: str, port: int, workers: int) -> int:
    """Serve with `workers` processes until stopped; the exit status (0 when stopped)."""
    check_free(host, port)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(host, port, os.getpid()),
                                 name=f"rasad-serve-{i + 1}") for i in range(workers)]

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    status = 0
    try:
        for process in processes:
            process.start()
        wait([p.sentinel for p in processes])  # until one of them ends
        status = next((p.exitcode or 0 for p in processes if p.exitcode), 0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn stops gracefully on SIGTERM
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()
    return status
