"""``-oJ``: JSON that mirrors the XML, with scripts' structured output as nested JSON.

The document is one object; its schema is ``docs/json-schema.json`` and
``docs/output.md`` explains every field.  It is written as the scan goes: the header
fields first, then one host per line inside ``"hosts": [...]``, the run statistics
last, so that :meth:`JsonWriter.finish` can always close a valid document whatever
stopped the scan (``"incomplete": true`` then says so).

Strings that come from the network (script output, service fields) are Lua byte
strings: they are decoded as UTF-8 where they are valid UTF-8; a byte that is not is
written ``\\xNN`` as nmap writes it in XML (:func:`nse.output._common.json_text`).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from nse.engine.output import nodes_to_json
from nse.output._common import (
    RunStats,
    ScanInfo,
    ctime,
    extra_reasons,
    hostnames,
    json_text,
    listed_ports,
    mac_vendor,
    micros,
    port_ranges,
    script_state,
    service_fields,
    shows_host,
    summary_text,
)
from nse.scan.model import Host, Port

__all__ = ["JsonWriter", "host_record", "script_record", "JSON_OUTPUT_VERSION"]

#: version of the JSON layout (docs/json-schema.json); bumped on incompatible changes
JSON_OUTPUT_VERSION = "1.0"


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def _texts(v: Any) -> Any:
    """Apply :func:`json_text` to every string (keys too) of a nested value."""
    if isinstance(v, str):
        return json_text(v)
    if isinstance(v, list):
        return [_texts(x) for x in v]
    if isinstance(v, dict):
        return {json_text(k): _texts(x) for k, x in v.items()}
    return v


def script_record(out: Any) -> dict[str, Any]:
    """``{"id", "output", "state"[, "data"]}`` for one script result; ``data`` is the
    structured output (object for keyed items, array for keyless ones)."""
    rec: dict[str, Any] = {"id": json_text(out.id), "output": json_text(out.text or ""),
                           "state": script_state(out)}
    if out.structured:
        rec["data"] = _texts(nodes_to_json(out.structured))
    return rec


def _port_record(p: Port, scripts: list[Any], datadir: str | None) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "protocol": p.protocol, "portid": p.number,
        "state": {"state": p.state, "reason": p.reason, "reason_ttl": p.reason_ttl}}
    svc = service_fields(p, datadir)
    if svc is not None:
        attrs, cpes = svc
        service: dict[str, Any] = {}
        for k, v in attrs:
            service[k] = int(v) if k == "conf" else json_text(v)
        if cpes:
            service["cpe"] = [json_text(c) for c in cpes]
        rec["service"] = service
    if scripts:
        rec["scripts"] = [script_record(o) for o in scripts]
    return rec


def host_record(h: Host, info: ScanInfo, scripts: Any = None, start: float | None = None,
                end: float | None = None) -> dict[str, Any]:
    """The JSON object of one host (the fields of XML's ``<host>``)."""
    rec: dict[str, Any] = {}
    if h.up and not info.ping_only and start is not None and end is not None:
        rec["starttime"], rec["endtime"] = int(start), int(end)
    rec["timedout"] = bool(h.timed_out)
    rec["status"] = {"state": "up" if h.up else "down", "reason": h.reason or "unknown",
                     "reason_ttl": h.reason_ttl}
    addrs: list[dict[str, Any]] = [{"addr": h.ip,
                                    "addrtype": "ipv6" if h.family == 6 else "ipv4"}]
    mac = h.mac_text()
    if mac and h.mac_addr is not None:
        a: dict[str, Any] = {"addr": mac, "addrtype": "mac"}
        vendor = mac_vendor(h.mac_addr)
        if vendor:
            a["vendor"] = vendor
        addrs.append(a)
    rec["addresses"] = addrs
    rec["hostnames"] = [{"name": n, "type": t} for n, t in hostnames(h)]
    if h.up and not info.ping_only:
        port_scripts = getattr(scripts, "ports", None) or {}
        ign, hidden, shown = listed_ports(h, info)
        extra = []
        for state in ign:
            group = [p for p in hidden if p.state == state]
            extra.append({"state": state, "count": len(group), "extrareasons": [
                {"reason": r, "count": n, "proto": pr, "ports": rg}
                for r, n, pr, rg in extra_reasons(group)]})
        rec["extraports"] = extra
        rec["ports"] = [_port_record(p, port_scripts.get((p.protocol, p.number), []),
                                     info.datadir) for p in shown]
    host_scripts = getattr(scripts, "host", None) or []
    if h.up and host_scripts:
        rec["hostscript"] = [script_record(o) for o in host_scripts]
    if h.up and h.times.srtt is not None:
        rec["times"] = {"srtt": micros(h.times.srtt), "rttvar": micros(h.times.rttvar or 0),
                        "to": micros(h.times.timeout)}
    return rec


class JsonWriter:
    """Writes one JSON document to ``stream`` as the scan goes."""

    def __init__(self, stream: TextIO, info: ScanInfo) -> None:
        self.stream = stream
        self.info = info
        self._hosts = 0  # hosts written
        self._in_hosts = False
        self._post: list[Any] = []

    def start(self) -> None:
        """The header fields."""
        i = self.info
        head = {
            "scanner": "nse", "version": i.version, "json_output_version": JSON_OUTPUT_VERSION,
            "args": i.args, "start": int(i.start), "startstr": ctime(i.start),
            "scaninfo": [{"type": s.type, "protocol": s.protocol,
                          "numservices": len(set(s.ports)), "services": port_ranges(s.ports),
                          **({"scanflags": s.scanflags} if s.scanflags else {})}
                         for s in i.scans],
            "verbose": i.verbose, "debugging": i.debugging}
        self.stream.write("{" + _dump(head)[1:-1] + ",\n")
        self.stream.flush()

    def prescripts(self, outs: list[Any]) -> None:
        """``"prescript": [...]`` (call before the first host)."""
        if outs and not self._in_hosts:
            self.stream.write(f'"prescript": {_dump([script_record(o) for o in outs])},\n')

    def _open_hosts(self) -> None:
        if not self._in_hosts:
            self.stream.write('"hosts": [\n')
            self._in_hosts = True

    def host(self, h: Host, scripts: Any = None, start: float | None = None,
             end: float | None = None) -> None:
        """One host object (a line of its own) in the ``hosts`` array."""
        if not shows_host(h, self.info):
            return
        self._open_hosts()
        sep = ",\n" if self._hosts else ""
        self.stream.write(sep + _dump(host_record(h, self.info, scripts, start, end)))
        self._hosts += 1
        self.stream.flush()

    def postscripts(self, outs: list[Any]) -> None:
        """Post-scan results, written by :meth:`finish` after the hosts."""
        self._post = list(outs)

    def finish(self, stats: RunStats, incomplete: bool = False,
               reason: str | None = None) -> None:
        """Close ``hosts``, then ``postscript``, ``runstats`` and ``incomplete``."""
        assert stats.end is not None and stats.elapsed is not None
        self._open_hosts()
        self.stream.write("\n],\n")
        if self._post:
            self.stream.write(f'"postscript": {_dump([script_record(o) for o in self._post])},\n')
        total, up, down = stats.total or 0, stats.up or 0, stats.down or 0
        finished: dict[str, Any] = {
            "time": int(stats.end), "timestr": ctime(stats.end),
            "summary": summary_text(stats.end, total, up, stats.elapsed),
            "elapsed": round(stats.elapsed, 2), "exit": "error" if incomplete else "success"}
        if incomplete:
            finished["errormsg"] = reason or "scan incomplete"
        runstats = {"finished": finished, "hosts": {"up": up, "down": down, "total": total}}
        self.stream.write(f'"runstats": {_dump(runstats)},\n'
                          f'"incomplete": {"true" if incomplete else "false"}}}\n')
        self.stream.flush()
