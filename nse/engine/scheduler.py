"""Running script threads on gevent greenlets, as nse_main.lua's ``run`` does.

* A *script thread* (nmap: a script instance) is one gevent greenlet.  It first runs the
  script's chunk in a fresh environment, then its rule with ``host``/``port`` copies, and
  when the rule says yes (or the script was forced with ``+``) its ``action``.  Forcing
  only overrides the answer of a rule the script has: a portrule-only script forced with
  ``+`` still runs in no pre-/post-scan phase and against no host rule (nmap 7.93).
* Phases: pre-scan (``prerule``), scan (per host: ``hostrule`` threads, then ``portrule``
  threads for every port of that host), post-scan (``postrule``).  Within a phase the
  scripts run by runlevel (from ``dependencies``); a runlevel finishes before the next.
* At most ``concurrency_limit`` (1000) script instances run at once; worker threads made
  by ``stdnse.new_thread`` do not count.  At most ``max_parallelism`` (20) threads hold
  sockets at once (``nse.lib.nmap`` takes a slot at connect, see :class:`SocketSlots`).
* ``--script-timeout``: a thread (with its workers) still running that long after it
  started is killed with :class:`ScriptTimeout`, a ``BaseException`` that Lua's ``pcall``
  does not catch; it is thrown where the thread waits (its innermost greenlet).
* Errors never leave a thread: an ``nmap.new_try`` failure ends it quietly (no output);
  any other error gives ``ERROR: Script execution failed (use -d to debug)`` as output,
  or with ``-d`` the message and a traceback naming the script's own file and (Lua)
  lines in the debug log and an output with empty text; both have ``state="error"``.
  A thread ended by a timeout gets an output with empty text and ``state="timed-out"``
  (nmap prints nothing for either empty text; XML/JSON writers record the state).
* When every script instance of a runlevel has ended, remaining workers are orphans and
  are killed (nmap stops resuming them).
"""

from __future__ import annotations

import functools
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import gevent
import gevent.exceptions
import gevent.lock
import gevent.pool
import greenlet

from nse.engine.context import Runtime, current_thread, runtime, set_runtime
from nse.engine.output import FAILED_TEXT, ScriptOutput, make_output
from nse.engine.script import Script
from nse.lua.errors import LuaError, from_python_exception
from nse.lua.luatable import LuaTable

__all__ = [
    "ScriptTimeout",
    "ScriptThread",
    "SocketSlots",
    "PhaseResult",
    "run_phase",
    "compute_runlevels",
    "new_worker",
    "against_name",
    "greenlet_coroutine",
]


_RECURSION_LIMIT = 6000


class ScriptTimeout(BaseException):
    """Thrown into a thread that ran past ``--script-timeout``."""


class _Kill(BaseException):
    """Thrown into orphaned workers at the end of a runlevel."""


class _Deadlock(BaseException):
    """Thrown into threads that wait with nothing left that could wake them."""


class SocketSlots:
    """At most ``limit`` base threads hold sockets at once (nmap's socket lock)."""

    def __init__(self, limit: int) -> None:
        self.sem = gevent.lock.Semaphore(max(1, limit))
        self.held = 0
        self.max_held = 0  # for the benchmark and tests

    def acquire(self, thread: ScriptThread) -> None:
        """Take a slot for ``thread``'s base thread unless it holds one already."""
        base = thread.base
        if not base.holds_slot:
            self.sem.acquire()
            base.holds_slot = True
            self.held += 1
            self.max_held = max(self.max_held, self.held)

    def release(self, thread: ScriptThread) -> None:
        """Give the base thread's slot back."""
        base = thread.base
        if base.holds_slot:
            base.holds_slot = False
            self.held -= 1
            self.sem.release()


@dataclass(eq=False)
class ScriptThread:
    """One script instance or worker (nse_main.lua ``Thread``/``Worker``)."""

    script: Script
    type: str  # prerule, hostrule, portrule, postrule
    host: LuaTable | None = None  # the thread's own copy
    port: LuaTable | None = None
    worker: bool = False
    parent: ScriptThread | None = None
    glet: Any = None
    output: ScriptOutput | None = None
    error: Any = None
    timed_out: bool = False
    action_started: bool = False
    start_time: float = 0.0
    holds_slot: bool = False
    sockets: set[Any] = field(default_factory=set)
    close_handlers: dict[Any, Callable[[], Any]] = field(default_factory=dict)
    workers: list[ScriptThread] = field(default_factory=list)
    #: the greenlet this thread is blocked in (set by blocking library calls)
    waiting_in: Any = None
    coroutine: Any = None  # the Lua "thread" value scripts see for a worker

    @property
    def base(self) -> ScriptThread:
        """The script instance a worker belongs to (itself for an instance)."""
        return self.parent if self.parent is not None else self

    @property
    def id(self) -> str:
        """The script id (``SCRIPT_NAME``)."""
        return self.script.id

    @property
    def info(self) -> str:
        """``id M:addr`` / ``id W:addr`` as nmap's ``thread.info``."""
        return f"{self.id} {'W' if self.worker else 'M'}:{id(self):x}"

    def args(self) -> tuple[Any, ...]:
        """The arguments of the rule and action."""
        if self.type == "hostrule":
            return (self.host,)
        if self.type == "portrule":
            return (self.host, self.port)
        return ()


def against_name(host: LuaTable | None, port: LuaTable | None) -> str:
    """`` against name (ip:port)`` as nse_main.lua's ``against_name``."""
    targetname = ip = portno = None
    if host is not None:
        targetname = host["targetname"]
        ip = host["ip"]
    if port is not None:
        portno = port["number"]
    ipport = None
    if ip is not None and portno is not None:
        ipport = f"{ip}:{portno}"
    elif ip is not None:
        ipport = ip
    if targetname and ipport:
        return f" against {targetname} ({ipport})"
    if targetname:
        return f" against {targetname}"
    if ipport:
        return f" against {ipport}"
    return ""


def _d(rt: Runtime, thread: ScriptThread, fmt: str) -> None:
    """Thread:d: ``%THREAD``/``%THREAD_AGAINST`` replaced, shown from -d1 on."""
    dbg = rt.options.debugging
    if dbg < 1:
        return
    name = thread.info if dbg > 1 else thread.id
    against = against_name(thread.host, thread.port)
    text = fmt.replace("%THREAD_AGAINST", name + against).replace("%THREAD", name)
    rt.log("NSE: " + text)


def _truth(v: Any) -> bool:
    if type(v) is tuple:
        v = v[0] if v else None
    return v is not None and v is not False


def _mv(v: Any) -> tuple[Any, ...]:
    return v if type(v) is tuple else (v,)


def _new_try_message(e: LuaError) -> Any:
    v = getattr(e, "value", None)
    if isinstance(v, LuaTable) and v["errtype"] == "nmap.new_try":
        return v["message"]
    return None


def _script_traceback(exc: BaseException) -> str:
    """The error and the script's own frames (Lua lines for converted scripts)."""
    from nse.lua.errors import is_lua_code

    lines: list[str] = []
    tb = exc.__traceback__
    if isinstance(exc, LuaError) and exc.__cause__ is not None and exc.__cause__.__traceback__:
        tb = exc.__cause__.__traceback__
    frames = traceback.extract_tb(tb) if tb is not None else []
    raw = []
    t = tb
    while t is not None:
        raw.append(t)
        t = t.tb_next
    for fs, tbe in zip(frames, raw, strict=False):
        code = tbe.tb_frame.f_code
        if is_lua_code(code, tbe.tb_frame.f_globals) or "/nse/" not in fs.filename.replace(
                "\\", "/"):
            if "/gevent/" in fs.filename or "/greenlet/" in fs.filename:
                continue
            name = fs.name
            if name in ("<module>", "chunk", "main"):
                what = "main chunk"
            elif name.startswith("anon_") or name == "<lambda>":
                # Lua names an anonymous function by where it is defined
                what = f"function <{fs.filename}:{code.co_firstlineno}>"
            else:
                what = f"function '{name}'"
            lines.append(f"\t{fs.filename}:{fs.lineno}: in {what}")
    # innermost first, as Lua's debug.traceback prints
    return "\n".join(["stack traceback:", *reversed(lines)])


def _run_thread(rt: Runtime, thread: ScriptThread, forced: bool) -> None:
    """The body of a script-instance greenlet."""
    thread.start_time = time.monotonic()
    try:
        rule, action = thread.script.instance(rt, thread.type)
        args = thread.args()
        if forced or (rule is not None and _truth(rule(*args))):
            _d(rt, thread, "Starting %THREAD_AGAINST.")
            thread.action_started = True
            r = _mv(action(*args))
            thread.output = make_output(thread.id, r[0] if r else None,
                                        r[1] if len(r) > 1 else None)
            _d(rt, thread, "Finished %THREAD_AGAINST.")
    except ScriptTimeout:
        thread.timed_out = True
        thread.error = "timed out"
        _d(rt, thread, "%THREAD_AGAINST timed out")
        # nmap prints nothing for it; writers that record script states need the record
        thread.output = ScriptOutput(thread.id, "", state="timed-out")
    except _Deadlock:
        thread.error = "deadlocked"
        thread.output = ScriptOutput(thread.id, "", state="error")
    except (greenlet.GreenletExit, _Kill):
        thread.error = "killed"
    except Exception as exc:  # noqa: BLE001 - a script never stops the scan
        _handle_error(rt, thread, exc)
    finally:
        _close(rt, thread)


def _handle_error(rt: Runtime, thread: ScriptThread, exc: Exception) -> None:
    err = exc if isinstance(exc, LuaError) else from_python_exception(exc)
    msg = _new_try_message(err)
    if msg is not None:
        if rt.options.debugging > 0:
            _d(rt, thread, f"Finished %THREAD_AGAINST. Reason: {msg}\n")
        thread.error = msg
        return
    value = getattr(err, "value", None)
    text = value if isinstance(value, str) else str(err)
    thread.error = value if value is not None else text
    if rt.options.debugging > 0:
        _d(rt, thread, "%THREAD_AGAINST threw an error!\n" + text + "\n"
           + _script_traceback(err if err.__cause__ is not None else exc) + "\n")
    if not thread.worker:
        # with -d nmap writes the error to the debug log only, no script output
        thread.output = ScriptOutput(
            thread.id, "" if rt.options.debugging > 0
            else FAILED_TEXT, state="error")


def _close(rt: Runtime, thread: ScriptThread) -> None:
    """Thread:close: run destructors (sockets, mutexes), free the socket slot."""
    for key, destructor in list(thread.close_handlers.items()):
        thread.close_handlers.pop(key, None)
        try:
            destructor()
        except Exception:  # noqa: BLE001 - a destructor must not break the engine
            pass
    for s in list(thread.sockets):
        try:
            s.close()
        except Exception:  # noqa: BLE001
            pass
    thread.sockets.clear()
    if not thread.worker and rt.socket_slots is not None:
        rt.socket_slots.release(thread)
    if thread.coroutine is not None:
        thread.coroutine.status = "dead"
    rt.threads.pop(thread.glet, None)


def new_worker(main: Callable[..., Any], *args: Any) -> tuple[Any, Callable[[], Any]]:
    """stdnse.new_thread: start ``main(...)`` as a worker of the running thread.

    Returns ``(co, info)``: ``co`` is a Lua thread value whose ``coroutine.status`` becomes
    ``"dead"`` when the worker ends; ``info()`` returns that status and the error (or nil).
    """
    from nse.lua import coroutine as lco

    rt = runtime()
    parent = current_thread()
    if parent is None:
        raise LuaError("stdnse.new_thread can only be run from an active script")
    base = parent.base
    worker = ScriptThread(base.script, base.type, base.host, base.port, worker=True,
                          parent=base)
    co = lco.Coroutine(None, is_main=True)
    co.status = "suspended"  # nmap: coroutine.status(co) before the worker first runs
    worker.coroutine = co

    def body() -> None:
        worker.start_time = base.start_time
        co.status = "running"  # as seen from inside the worker (nmap: "running")
        try:
            main(*args)
        except (ScriptTimeout, greenlet.GreenletExit, _Kill, _Deadlock):
            worker.error = "timed out" if base.timed_out else "killed"
        except Exception as exc:  # noqa: BLE001
            _handle_error(rt, worker, exc)
        finally:
            _close(rt, worker)

    g = gevent.Greenlet(body)
    greenlet_coroutine(g, co)  # coroutine.running() inside the worker is this same value
    worker.glet = g
    rt.threads[g] = worker
    base.workers.append(worker)
    g.start()

    def info(*_: Any) -> tuple[Any, Any]:
        return co.status, worker.error

    return co, info


def greenlet_coroutine(g: Any, co: Any = None) -> Any:
    """The Lua thread value (``coroutine.running()``) of gevent greenlet ``g``; with
    ``co``, make ``co`` that value first.

    nse.lua.coroutine has no public call for this yet (asked of its owner: see
    nse/engine/__init__.py); until then this is the one place that knows how it ties a
    greenlet to its "main" coroutine: ``g.lua_co`` (what ``current()`` reads first), and
    the older ``_mains`` table as a fallback."""
    from nse.lua import coroutine as lco

    if co is None:
        co = getattr(g, "lua_co", None)
        mains = getattr(lco, "_mains", None)
        if co is None and mains is not None:
            co = mains.get(g)
        if co is not None:
            return co
        co = lco.Coroutine(None, is_main=True)
        co.status = "suspended"
    co.glet = g
    try:
        g.lua_co = co
    except AttributeError:  # pragma: no cover - gevent greenlets take attributes
        pass
    mains = getattr(lco, "_mains", None)
    if mains is not None:
        mains[g] = co
    return co


def _timeout_thread(rt: Runtime, thread: ScriptThread, deadline: float | None) -> None:
    if deadline is not None and time.monotonic() >= deadline and thread.host is not None:
        rt.timed_out_hosts.add(thread.host["ip"])
    _kill_thread(thread, ScriptTimeout)


def _kill_thread(thread: ScriptThread, exc: type[BaseException]) -> None:
    targets = [thread, *thread.workers]
    for t in targets:
        g = t.glet
        if g is None or g.dead:
            continue
        leaf = t.waiting_in
        if leaf is not None and leaf is not g and not leaf.dead:
            gevent.kill(leaf, exc)  # a raw greenlet (a Lua coroutine): thrown via the hub
        else:
            g.kill(exc, block=False)


@dataclass
class PhaseResult:
    """The threads a phase ran, in start order."""

    threads: list[ScriptThread] = field(default_factory=list)

    def outputs(self) -> list[tuple[ScriptThread, ScriptOutput]]:
        """``(thread, output)`` of every base thread that produced output."""
        return [(t, t.output) for t in self.threads if t.output is not None]


def compute_runlevels(scripts: list[Script]) -> None:
    """Set ``script.runlevel`` from dependencies (nse_main.lua ``calculate_runlevel``):
    1 + the highest runlevel of any *selected* script it depends on.

    Raises ValueError on a duplicate id or a circular dependency.
    """
    by_name: dict[str, Script] = {}
    for s in scripts:
        if s.id in by_name:
            raise ValueError(f"duplicate script ID: '{s.id}'")
        by_name[s.id] = s
    state: dict[str, int | None] = {}
    chain: list[str] = []

    def calc(s: Script) -> int:
        chain.append(s.id)
        if s.id in state and state[s.id] is None:
            raise ValueError(f"circular dependency in chain `{'->'.join(chain)}`")
        state[s.id] = None
        level = 1
        for dep in s.dependencies:
            d = by_name.get(dep)
            if d is not None:
                r = state.get(d.id)
                level = max(level, (r if r is not None else calc(d)) + 1)
        chain.pop()
        state[s.id] = level
        s.runlevel = level
        return level

    for s in scripts:
        if state.get(s.id) is None:
            calc(s)


def _copy(t: LuaTable, keep: Iterable[str] = (), _seen: dict[int, LuaTable] | None = None
          ) -> LuaTable:
    """tableaux.tcopy: a deep copy (metatables shared), ``keep`` keys shared."""
    seen = _seen if _seen is not None else {}
    if id(t) in seen:
        return seen[id(t)]
    c = LuaTable()
    seen[id(t)] = c
    for k, v in t.items():
        if isinstance(v, LuaTable) and k not in keep:
            v = _copy(v, (), seen)
        c[k] = v
    c.meta = t.meta
    return c


#: nse_main.cc ``ports``: portrules see open, then open|filtered, then unfiltered ports;
#: closed and filtered ports never reach scripts.
_SCRIPT_PORT_STATES = ("open", "open|filtered", "unfiltered")


def _script_ports(ports: list[LuaTable]) -> Iterator[LuaTable]:
    for state in _SCRIPT_PORT_STATES:
        for p in ports:
            if p["state"] == state:
                yield p


def _threads_for(phase: str, scripts: list[Script],
                 hosts: list[tuple[LuaTable, list[LuaTable]]]) -> Iterator[ScriptThread]:
    # Script:new_thread returns nil when the script has no function for this rule type,
    # forced or not: ``+`` overrides a rule's answer, it never adds a phase.
    if phase == "prerule" or phase == "postrule":
        for s in scripts:
            if s.has_rule(phase):
                yield ScriptThread(s, phase)
        return
    for host, ports in hosts:
        for s in scripts:
            if s.has_rule("hostrule"):
                yield ScriptThread(s, "hostrule", _copy(host, ("registry",)))
        for port in _script_ports(ports):
            for s in scripts:
                if s.has_rule("portrule"):
                    yield ScriptThread(s, "portrule", _copy(host, ("registry",)), _copy(port))


def run_phase(rt: Runtime, scripts: list[Script], phase: str,
              hosts: list[tuple[LuaTable, list[LuaTable]]] | None = None,
              on_done: Callable[[ScriptThread], None] | None = None) -> PhaseResult:
    """Run one phase: ``"prerule"``, ``"scan"`` (host and port rules) or ``"postrule"``.

    ``hosts`` (scan phase) is a list of ``(host table, [port tables])``.  Must be called
    outside any gevent greenlet that a script could block (normally the main greenlet).
    """
    prev = runtime()
    set_runtime(rt)
    # Lua calls are Python calls: nselib code nests deeper than Python's default 1000.
    # Greenlets share the main thread's C stack, hence a moderate limit.
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, _RECURSION_LIMIT))
    if rt.socket_slots is None:
        rt.socket_slots = SocketSlots(rt.options.max_parallelism)
    result = PhaseResult()
    # EngineOptions.extra["runlevel_hook"](event, level, levels): told "start" and "end"
    # around each run level, as nmap's per-level progress meter ("Initiating NSE at
    # ..." / "Completed NSE at ..., 0.00s elapsed") is made and ended in nse_main.lua run()
    hook = rt.options.extra.get("runlevel_hook")
    try:
        levels = sorted({s.runlevel for s in scripts})
        for level in levels:
            batch = [s for s in scripts if s.runlevel == level]
            if rt.options.debugging or rt.options.verbosity >= 2:
                rt.log(f"NSE: Starting runlevel {level} (of {len(levels)}) scan.")
            if hook is not None:
                hook("start", level, len(levels))
            _run_level(rt, batch, phase, hosts or [], result, on_done)
            if hook is not None:
                hook("end", level, len(levels))
    finally:
        set_runtime(prev)
        sys.setrecursionlimit(old_limit)
    return result


def _deadlock_safe(rt: Runtime, started: list[ScriptThread], wait: Callable[[], Any]) -> None:
    """``wait()`` in the main greenlet; when gevent finds that it would block forever
    (every script thread waits on a condvar, mutex or event nothing can signal any more,
    and no socket or timer is pending) the waiting threads are stopped with an ``error``
    state instead of the whole scan ending in ``LoopExit``.  (nmap would wait forever
    here, until --script-timeout or --host-timeout; without those it never finishes.)"""
    while True:
        try:
            wait()
            return
        except gevent.exceptions.LoopExit:
            stuck = [t for t in started if t.glet is not None and not t.glet.dead]
            if not stuck:
                raise
            for t in stuck:
                rt.log(f"NSE: {t.id}{against_name(t.host, t.port)} deadlocked: its threads "
                       "wait and nothing is left to wake them; stopped.")
                _kill_thread(t, _Deadlock)


def _run_level(rt: Runtime, scripts: list[Script], phase: str,
               hosts: list[tuple[LuaTable, list[LuaTable]]], result: PhaseResult,
               on_done: Callable[[ScriptThread], None] | None) -> None:
    # nse_main.lua: a --max-parallelism above the concurrency limit raises the limit
    pool = gevent.pool.Pool(max(rt.options.concurrency_limit, rt.options.max_parallelism))
    timeout = rt.options.script_timeout
    started: list[ScriptThread] = []
    for thread in _threads_for(phase, scripts, hosts):
        # --host-timeout (nse_main.lua Thread:timed_out -> cnse.timedOut(host))
        limit = timeout or None
        ip: str | None = thread.host["ip"] if thread.host is not None else None
        deadline = rt.host_deadlines.get(ip) if ip is not None else None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 and ip is not None:
                rt.timed_out_hosts.add(ip)
                continue
            limit = left if limit is None else min(limit, left)
        forced = thread.script.forced
        g = pool.greenlet_class(_run_thread, rt, thread, forced)
        thread.glet = g
        rt.threads[g] = thread
        result.threads.append(thread)
        started.append(thread)
        # blocks while the pool is full (the new thread itself is not running yet)
        _deadlock_safe(rt, started[:-1], functools.partial(pool.start, g))
        if limit:
            timer = gevent.spawn_later(limit, _timeout_thread, rt, thread, deadline)
            g.link(lambda _g, timer=timer: timer.kill(block=False))
        if on_done is not None:
            g.link(lambda _g, t=thread: on_done(t))
    _deadlock_safe(rt, started, pool.join)
    # orphaned workers: their script instances are all finished
    orphans = [w.glet for t in started for w in t.workers if w.glet is not None and not w.glet.dead]
    if orphans:
        if rt.options.debugging:
            rt.log(f"NSE: {len(orphans)} orphans left!")
        gevent.killall(orphans, _Kill, block=True, timeout=5)
