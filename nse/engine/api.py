"""The engine's entry points for the scanner and the command line.

For ``nse scan`` (the scanner calls these; see also :func:`run_scripts`)::

    from nse.engine.api import ScriptEngine, EngineOptions

    engine = ScriptEngine("default,banner", EngineOptions(verbosity=v, debugging=d),
                          script_args="a=1", script_args_file=None)
    pre = engine.pre_scan()              # list[ScriptOutput]  ("Pre-scan script results")
    res = engine.scan(hosts)             # {ip: HostScripts}   (hosts: nse.scan.model.Host)
    post = engine.post_scan()            # list[ScriptOutput]  ("Post-scan script results")

``HostScripts.host`` holds the host-script outputs ("Host script results"),
``HostScripts.ports[(proto, number)]`` the port-script outputs printed under that port.
Each :class:`~nse.engine.output.ScriptOutput` has ``id``, ``text`` (print it with
:func:`~nse.engine.output.format_script_output`) and ``structured`` (the elem/table
tree for XML, :func:`~nse.engine.output.nodes_to_json` for JSON) and ``state`` (``ok``,
``error`` or ``timed-out``; a failed or timed-out script gives an output whose text is
what nmap prints, possibly "").  Outputs are sorted by script id within each list (nmap
7.93's order changes from run to run; a fixed order makes outputs comparable).  ``nmap.set_port_state`` /
``set_port_version`` calls are written back to the scanner's Port objects.

Errors: :class:`EngineError` for a bad ``--script`` selection, bad script args or a
script that fails to load (nmap stops before scanning in those cases too).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nse.engine.args import ScriptArgsError, load_script_args
from nse.engine.catalog import BUNDLED_DIR, ScriptCatalog
from nse.engine.context import EngineOptions, Runtime, set_runtime
from nse.engine.hosts import HostRecord
from nse.engine.output import ScriptOutput
from nse.engine.scheduler import compute_runlevels, run_phase
from nse.engine.script import Script, ScriptLoadError, load_script
from nse.engine.selection import SelectionError, choose_scripts, split_rules

__all__ = [
    "EngineError",
    "EngineOptions",
    "HostScripts",
    "PhaseOutputs",
    "ScriptResults",
    "ScriptEngine",
    "run_scripts",
    "select_and_load",
]


class EngineError(Exception):
    """The engine cannot start (selection, arguments or a script that does not load)."""


@dataclass
class HostScripts:
    """Script results of one host."""

    host: list[ScriptOutput] = field(default_factory=list)
    ports: dict[tuple[str, int], list[ScriptOutput]] = field(default_factory=dict)
    #: --host-timeout ended this host's scripts (nmap then skips the host in its output)
    timed_out: bool = False


@dataclass
class PhaseOutputs:
    """The script outputs of the three phases of one engine run (what
    :class:`ScriptResults` and :class:`nse.testing.ScriptRun` hold)."""

    pre: list[ScriptOutput] = field(default_factory=list)
    hosts: dict[str, HostScripts] = field(default_factory=dict)
    post: list[ScriptOutput] = field(default_factory=list)

    def run_phases(self, engine: ScriptEngine, hosts: Iterable[Any]) -> None:
        """Run ``engine``'s pre-scan, host/port and post-scan phases against ``hosts``,
        keeping their outputs."""
        self.pre = engine.pre_scan()
        self.hosts = engine.scan(list(hosts))
        self.post = engine.post_scan()


@dataclass
class ScriptResults(PhaseOutputs):
    """Everything :func:`run_scripts` produced."""

    scripts: list[Script] = field(default_factory=list)
    #: scripts that did not load (only with ``skip_broken=True``)
    load_errors: list[str] = field(default_factory=list)


def _rules(selection: str | Iterable[str] | None, default: bool, version: bool) -> list[str]:
    rules: list[str] = []
    if isinstance(selection, str):
        rules = split_rules(selection)
    elif selection is not None:
        for s in selection:
            rules.extend(split_rules(s))
    # nse_main.lua check_rules: -sC alone means "default"; -sV adds "version"
    if default and not rules:
        rules = ["default"]
    if version:
        rules.append("version")
    return rules


def select_and_load(rt: Runtime, rules: list[str], catalog: ScriptCatalog | None = None,
                    *, skip_broken: bool = False, optional: Iterable[str] = ()
                    ) -> tuple[list[Script], list[str]]:
    """Choose scripts for ``rules`` and load them; ``(scripts, load errors)``.

    A script that fails to load raises :class:`EngineError` unless ``skip_broken``
    (then its message is returned in the error list)."""
    cat = catalog or ScriptCatalog.build(rt.options.datadirs)
    try:
        chosen = choose_scripts(rules, cat.entries, cat.fetch, cat.list_dir, optional)
    except SelectionError as e:
        raise EngineError(str(e)) from e
    scripts: list[Script] = []
    errors: list[str] = []
    prev = set_runtime_if_unset(rt)
    try:
        for c in chosen:
            try:
                s = load_script(c.path, rt)
            except ScriptLoadError as e:
                if e.quiet:
                    continue  # nmap: "Failed to load" only with -v
                if not skip_broken:
                    raise EngineError(str(e)) from e
                errors.append(str(e))
                continue
            s.forced = c.forced
            s.selected_by_name = c.by_name
            scripts.append(s)
    finally:
        set_runtime(prev)
    try:
        compute_runlevels(scripts)
    except ValueError as e:
        raise EngineError(str(e)) from e
    return scripts, errors


def set_runtime_if_unset(rt: Runtime) -> Any:
    """Install ``rt`` for loading; returns the previous runtime to restore."""
    from nse.engine import context

    prev = context._runtime
    set_runtime(rt)
    return prev


def _sorted(outs: Iterable[ScriptOutput]) -> list[ScriptOutput]:
    return sorted(outs, key=lambda o: o.id)


class ScriptEngine:
    """A script scan: selection and loading at construction, then the three phases."""

    def __init__(self, selection: str | Iterable[str] | None,
                 options: EngineOptions | None = None, *,
                 script_args: str | None = None, script_args_file: str | None = None,
                 default: bool = False, version: bool = False,
                 bundled_dir: str | None = BUNDLED_DIR, skip_broken: bool = False) -> None:
        opts = options or EngineOptions()
        if script_args is not None or script_args_file is not None:
            try:
                opts.script_args = load_script_args(script_args, script_args_file)
            except ScriptArgsError as e:
                raise EngineError(str(e)) from e
        self.rt = Runtime(opts)
        from nse.lib import nmap as nmaplib

        prev = set_runtime_if_unset(self.rt)
        try:
            nmaplib.bind_runtime()
        finally:
            set_runtime(prev)
        self.catalog = ScriptCatalog.build(opts.datadirs, bundled_dir)
        self.scripts, self.load_errors = select_and_load(
            self.rt, _rules(selection, default, version), self.catalog,
            skip_broken=skip_broken, optional=("version",) if version else ())

    def _bind(self) -> None:
        from nse.lib import nmap as nmaplib

        prev = set_runtime_if_unset(self.rt)
        nmaplib.bind_runtime()
        set_runtime(prev)

    def pre_scan(self) -> list[ScriptOutput]:
        """Run the prerule scripts."""
        self._bind()
        res = run_phase(self.rt, self.scripts, "prerule")
        return _sorted(o for _t, o in res.outputs())

    def scan(self, hosts: Iterable[Any]) -> dict[str, HostScripts]:
        """Run hostrule and portrule scripts against ``hosts`` (scanner Host objects)."""
        self._bind()
        records = []
        ht = self.rt.options.host_timeout
        for h in hosts:
            rec = HostRecord(h)
            self.rt.hosts[rec.ip] = rec
            records.append(rec)
            if ht:
                spent = float(getattr(h, "elapsed", 0.0) or 0.0)
                self.rt.host_deadlines[rec.ip] = time.monotonic() + ht - spent
        targets = [(r.table, r.port_tables()) for r in records]
        res = run_phase(self.rt, self.scripts, "scan", targets)
        out: dict[str, HostScripts] = {r.ip: HostScripts() for r in records}
        for t, o in res.outputs():
            assert t.host is not None
            hs = out.setdefault(str(t.host["ip"]), HostScripts())
            if t.type == "hostrule":
                hs.host.append(o)
            else:
                assert t.port is not None
                hs.ports.setdefault((t.port["protocol"], t.port["number"]), []).append(o)
        for ip in self.rt.timed_out_hosts:
            if ip in out:
                out[ip].timed_out = True
        for hs in out.values():
            hs.host = _sorted(hs.host)
            for k in hs.ports:
                hs.ports[k] = _sorted(hs.ports[k])
        return out

    def post_scan(self) -> list[ScriptOutput]:
        """Run the postrule scripts."""
        self._bind()
        res = run_phase(self.rt, self.scripts, "postrule")
        return _sorted(o for _t, o in res.outputs())


def run_scripts(selection: str | Iterable[str] | None, hosts: Iterable[Any],
                args: str | None = None, options: EngineOptions | None = None,
                **kw: Any) -> ScriptResults:
    """Select, load and run scripts against ``hosts`` in the three phases.

    ``selection`` is the ``--script`` value (or a list of them), ``args`` the
    ``--script-args`` text, ``options`` verbosity, timeouts, data directories...;
    extra keywords go to :class:`ScriptEngine` (``script_args_file``, ``default``,
    ``version``, ``bundled_dir``, ``skip_broken``).
    """
    engine = ScriptEngine(selection, options, script_args=args, **kw)
    res = ScriptResults(scripts=engine.scripts, load_errors=engine.load_errors)
    res.run_phases(engine, hosts)
    return res
