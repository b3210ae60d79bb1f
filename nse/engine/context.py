"""The engine's run-time state: options, the registry, the running script threads.

nmap keeps this state in one Lua state and in C globals; here one :class:`Runtime` holds
it and library code (``nse.lib.nmap``, ``nse.lib.stdnse``) reaches it through
:func:`runtime`.  A script thread is a greenlet; Lua coroutines started inside it are
child greenlets, so :func:`current_thread` walks the greenlet parents up to the thread.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import greenlet

from nse.engine.datadir import DataDirs
from nse.lua.luatable import LuaTable

if TYPE_CHECKING:
    from nse.engine.hosts import HostRecord
    from nse.engine.scheduler import ScriptThread

__all__ = ["EngineOptions", "Runtime", "runtime", "set_runtime", "current_thread"]


def _stdout_write(s: str) -> None:
    sys.stdout.write(s)


@dataclass
class EngineOptions:
    """Everything the command line says about script scanning."""

    verbosity: int = 0
    debugging: int = 0
    script_args: LuaTable = field(default_factory=LuaTable)
    script_timeout: float | None = None  # seconds; None or 0: no limit
    #: --host-timeout in seconds: scripts of a host stop when the host's time (its
    #: ``Host.elapsed`` scan time plus script time) reaches it
    host_timeout: float | None = None
    datadirs: DataDirs = field(default_factory=DataDirs.discover)
    #: at most this many script threads hold sockets at once (nmap: --max-parallelism,
    #: default 20 for scripts)
    max_parallelism: int = 20
    #: at most this many script instances run at once (nmap's CONCURRENCY_LIMIT)
    concurrency_limit: int = 1000
    timing_level: int = 3
    address_family: str = "inet"  # "inet" or "inet6"
    #: nmap: running as root (raw sockets possible); scripts check nmap.is_privileged()
    is_privileged: bool = field(default_factory=lambda: os.geteuid() == 0)
    #: where log_write("stdout", ...) and debug output go
    log: Callable[[str], None] = field(default=lambda s: _stdout_write(s))
    #: the ``--script-timeout``-free default timeout of new sockets, in seconds
    socket_timeout: float = 30.0
    #: other nmap options scripts can ask about (ttl, data_length, interface, ...)
    extra: dict[str, Any] = field(default_factory=dict)


class Runtime:
    """One engine run's state (nmap's Lua state)."""

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.registry = LuaTable()
        self.registry["args"] = self.options.script_args
        self.threads: dict[Any, ScriptThread] = {}  # greenlet -> thread
        self.start = time.monotonic()
        self._globals: LuaTable | None = None
        self.loaded: LuaTable = LuaTable()  # package.loaded
        self.socket_slots: Any = None  # gevent semaphore, made by the scheduler
        self.hosts: dict[str, HostRecord] = {}  # ip -> record (nmap.get_port_state, ...)
        #: --host-timeout: ip -> time.monotonic() deadline, and the hosts that reached it
        self.host_deadlines: dict[str, float] = {}
        self.timed_out_hosts: set[str] = set()
        self.mutexes: dict[Any, Any] = {}
        self.condvars: dict[Any, Any] = {}

    # Lua-visible globals (_G) are built on first use: a Python-only run needs no Lua.
    @property
    def globals(self) -> LuaTable:
        """The NSE ``_G``: standard libraries, ``require`` and NSE's additions."""
        if self._globals is None:
            from nse.engine.luaenv import make_globals

            self._globals = make_globals(self)
        return self._globals

    def log(self, text: str) -> None:
        """nmap.log_write("stdout", text): the text and a newline (always, as nmap does,
        so a message ending in a newline leaves a blank line)."""
        self.options.log(text + "\n")


_runtime: Runtime | None = None


def runtime() -> Runtime:
    """The current engine state (a default one when no scan set it, e.g. in unit tests)."""
    global _runtime
    if _runtime is None:
        _runtime = Runtime()
    return _runtime


def set_runtime(rt: Runtime | None) -> None:
    """Install ``rt`` as the current state (the scheduler does this for a run)."""
    global _runtime
    _runtime = rt


def current_thread() -> ScriptThread | None:
    """The script thread (instance or worker) running now, or None outside scripts."""
    threads = runtime().threads
    if not threads:
        return None
    g: Any = greenlet.getcurrent()
    while g is not None:
        t = threads.get(g)
        if t is not None:
            return t
        g = g.parent
    return None
