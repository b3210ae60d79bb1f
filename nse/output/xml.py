"""``-oX``: XML in nmap's format, valid against nmap's ``nmap.dtd``.

The byte layout follows nmap 7.93's own XML (attribute order, where newlines fall), so
tools that read nmap's XML read ours: checked with ``xmllint --dtdvalid nmap.dtd``,
python-libnmap and ndiff against nmap's XML of the same loopback scan
(tests/output/test_nmap_compat.py).

Streaming: :meth:`XmlWriter.start` writes everything up to ``<debugging>``, each
:meth:`XmlWriter.host` one complete ``<host>`` element, :meth:`XmlWriter.finish` the
``<runstats>`` and the closing ``</nmaprun>``.  Whatever stops a scan, calling
``finish`` leaves a well-formed, valid document holding every finished host.

What differs from nmap, on purpose (docs/output.md):

* ``<nmaprun scanner="nmap">`` (the DTD allows no other value) but ``version`` is
  nse's and the opening comment says ``nse <version> scan initiated``.
* Every ``<script>`` carries its state in a processing instruction,
  ``<?nse-script state="ok"?>`` (``ok``, ``error``, ``timed-out``), because nmap.dtd
  allows no extra attribute on ``<script>`` and an ``<elem>`` would change the script's
  output; a script that failed or timed out without output still gets its
  ``<script output="">`` element so that its state is seen.
* A host cut short by ``--host-timeout`` keeps the ports found so far, with nmap's
  ``timedout="true"``; an interrupted or failed run ends with
  ``<finished exit="error" errormsg="...">``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

from nse.engine.output import XmlNode
from nse.output._common import (
    RunStats,
    ScanInfo,
    ctime,
    extra_reasons,
    hostnames,
    listed_ports,
    mac_vendor,
    micros,
    port_ranges,
    protect,
    script_state,
    service_fields,
    shows_host,
    summary_text,
)
from nse.scan.model import Host, Port

__all__ = ["XmlWriter", "escape", "format_script", "XML_OUTPUT_VERSION", "SCRIPT_STATE_PI"]

#: the ``xmloutputversion`` of nmap 7.93, whose layout we follow
XML_OUTPUT_VERSION = "1.05"
#: target of the processing instruction that carries a script's state
SCRIPT_STATE_PI = "nse-script"

_SPECIAL = re.compile(r"[&<>\"'\t\n\r]|(?<=-)-|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;",
           "\t": "&#x9;", "\n": "&#xa;", "\r": "&#xd;", "-": "&#45;"}


def _entity(m: re.Match[str]) -> str:
    c = m.group()
    return _ENTITY.get(c) or f"\\x{ord(c):02X}"


def escape(s: str) -> str:
    """Escape text for an attribute value or element content as nmap does: the five
    XML specials, tab/LF/CR as character references, a ``-`` right after another as
    ``&#45;`` (so that ``--`` never appears, not even in a comment), and control
    characters XML forbids as ``\\xNN``."""
    return _SPECIAL.sub(_entity, s)


def _attrs(pairs: Iterable[tuple[str, Any]]) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in pairs)


def _nodes(nodes: list[XmlNode], out: list[str]) -> None:
    for n in nodes:
        key = "" if n.key is None else f' key="{escape(protect(n.key))}"'
        if n.kind == "table":
            out.append(f"<table{key}>\n")
            _nodes(n.children, out)
            out.append("</table>\n")
        elif n.kind == "elem":
            out.append(f"<elem{key}>{escape(protect(n.text))}</elem>\n")
        else:
            # kind "text": a structured value that is not a table (an action returning
            # 42): nse_main.lua format_xml writes tostring(value) as the element's text,
            # with no newline after it (nmap 7.93: <script id=".." output="42">42</script>)
            out.append(escape(protect(n.text)))


def format_script(out: Any) -> str:
    """One ``<script>`` element for an engine :class:`~nse.engine.output.ScriptOutput`
    (or any object with ``id``, ``text``, ``structured`` and optionally ``state``)."""
    head = (f'<script id="{escape(protect(out.id))}" '
            f'output="{escape(protect(out.text or ""))}">')
    parts = [head, f'<?{SCRIPT_STATE_PI} state="{script_state(out)}"?>']
    if out.structured:
        _nodes(out.structured, parts)
    parts.append("</script>")
    return "".join(parts)


def _port(p: Port, scripts: list[Any], datadir: str | None) -> str:
    s = [f'<port protocol="{p.protocol}" portid="{p.number}">',
         f'<state state="{escape(p.state)}" reason="{escape(p.reason)}" '
         f'reason_ttl="{p.reason_ttl}"/>']
    svc = service_fields(p, datadir)
    if svc is not None:
        attrs, cpes = svc
        if cpes:
            s.append(f"<service{_attrs((k, protect(v)) for k, v in attrs)}>")
            s.extend(f"<cpe>{escape(protect(c))}</cpe>" for c in cpes)
            s.append("</service>")
        else:
            s.append(f"<service{_attrs((k, protect(v)) for k, v in attrs)}/>")
    s.extend(format_script(o) for o in scripts)
    s.append("</port>\n")
    return "".join(s)


class XmlWriter:
    """Writes one XML document to ``stream`` as the scan goes (see module docstring)."""

    def __init__(self, stream: TextIO, info: ScanInfo) -> None:
        self.stream = stream
        self.info = info

    def _w(self, text: str) -> None:
        self.stream.write(text)

    def start(self) -> None:
        """The prologue, ``<nmaprun>``, ``<scaninfo>``, ``<verbose>``, ``<debugging>``."""
        i = self.info
        when = ctime(i.start)
        self._w('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n')
        if i.stylesheet:
            self._w(f'<?xml-stylesheet href="{escape(i.stylesheet)}" type="text/xsl"?>\n')
        self._w(f"<!-- nse {escape(i.version)} scan initiated {when} as: "
                f"{escape(i.args)} -->\n")
        self._w(f'<nmaprun scanner="nmap" args="{escape(i.args)}" start="{int(i.start)}" '
                f'startstr="{when}" version="{escape(i.version)}" '
                f'xmloutputversion="{XML_OUTPUT_VERSION}">\n')
        for st in i.scans:
            flags = f' scanflags="{escape(st.scanflags)}"' if st.scanflags else ""
            self._w(f'<scaninfo type="{st.type}"{flags} protocol="{st.protocol}" '
                    f'numservices="{len(set(st.ports))}" services="{port_ranges(st.ports)}"/>\n')
        self._w(f'<verbose level="{i.verbose}"/>\n<debugging level="{i.debugging}"/>\n')
        self.stream.flush()

    def prescripts(self, outs: list[Any]) -> None:
        """``<prescript>`` (nothing when there is no pre-scan output)."""
        if outs:
            self._w("<prescript>" + "".join(format_script(o) for o in outs) + "</prescript>")

    def postscripts(self, outs: list[Any]) -> None:
        """``<postscript>`` (nothing when there is no post-scan output)."""
        if outs:
            self._w("<postscript>" + "".join(format_script(o) for o in outs)
                    + "</postscript>")

    def host(self, h: Host, scripts: Any = None, start: float | None = None,
             end: float | None = None) -> None:
        """One ``<host>``.  ``scripts`` is the engine's ``HostScripts`` (``.host`` list,
        ``.ports`` dict) or None; ``start``/``end`` are wall-clock times of its scan."""
        info = self.info
        if not shows_host(h, info):
            return
        s: list[str] = []
        if h.up and not info.ping_only and start is not None and end is not None:
            attrs: list[tuple[str, Any]] = [("starttime", int(start)), ("endtime", int(end))]
            if h.timed_out:
                attrs.append(("timedout", "true"))
            s.append(f"<host{_attrs(attrs)}>")
        else:
            s.append("<host>")
        state = "up" if h.up else "down"
        s.append(f'<status state="{state}" reason="{escape(h.reason or "unknown")}" '
                 f'reason_ttl="{h.reason_ttl}"/>\n')
        addrtype = "ipv6" if h.family == 6 else "ipv4"
        s.append(f'<address addr="{escape(h.ip)}" addrtype="{addrtype}"/>\n')
        mac = h.mac_text()
        if mac and h.mac_addr is not None:
            vendor = mac_vendor(h.mac_addr)
            v = f' vendor="{escape(vendor)}"' if vendor else ""
            s.append(f'<address addr="{mac}" addrtype="mac"{v}/>\n')
        names = hostnames(h)
        if names or h.up:  # nmap: a down host without names has no <hostnames>
            s.append("<hostnames>\n")
            for name, typ in names:
                s.append(f'<hostname name="{escape(name)}" type="{typ}"/>\n')
            s.append("</hostnames>\n")
        if h.up and not info.ping_only:
            port_scripts = getattr(scripts, "ports", None) or {}
            ign, hidden, shown = listed_ports(h, info)
            s.append("<ports>")
            for state in ign:
                group = [p for p in hidden if p.state == state]
                s.append(f'<extraports state="{state}" count="{len(group)}">\n')
                for reason, n, proto, ranges in extra_reasons(group):
                    s.append(f'<extrareasons reason="{escape(reason)}" count="{n}" '
                             f'proto="{proto}" ports="{ranges}"/>\n')
                s.append("</extraports>\n")
            for p in shown:
                s.append(_port(p, port_scripts.get((p.protocol, p.number), []), info.datadir))
            s.append("</ports>\n")
        host_scripts = getattr(scripts, "host", None) or []
        if h.up and host_scripts:
            s.append("<hostscript>" + "".join(format_script(o) for o in host_scripts)
                     + "</hostscript>")
        if h.up and h.times.srtt is not None:
            t = h.times
            s.append(f'<times srtt="{micros(t.srtt)}" rttvar="{micros(t.rttvar or 0)}" '
                     f'to="{micros(t.timeout)}"/>\n')
        s.append("</host>\n")
        self._w("".join(s))
        self.stream.flush()

    def finish(self, stats: RunStats, incomplete: bool = False,
               reason: str | None = None) -> None:
        """``<runstats>`` and ``</nmaprun>``; ``stats`` has every field filled."""
        assert stats.end is not None and stats.elapsed is not None
        total, up, down = stats.total or 0, stats.up or 0, stats.down or 0
        attrs: list[tuple[str, Any]] = [
            ("time", int(stats.end)), ("timestr", ctime(stats.end)),
            ("summary", summary_text(stats.end, total, up, stats.elapsed)),
            ("elapsed", f"{stats.elapsed:.2f}"),
            ("exit", "error" if incomplete else "success")]
        if incomplete:
            attrs.append(("errormsg", reason or "scan incomplete"))
        self._w(f"<runstats><finished{_attrs(attrs)}/>"
                f'<hosts up="{up}" down="{down}" total="{total}"/>\n</runstats>\n'
                "</nmaprun>\n")
        self.stream.flush()
