"""``require "vulns"``: vulnerability reports, the API of nmap's vulns.lua.

What is here: ``STATE``/``STATE_MSG``, ``register_popular_id``/``get_popular_link``,
``format_vuln``/``format_vuln_table`` and the ``Report`` class (``new``,
``add_popular_id``, ``add_vulns``, ``make_output``) producing the same text and structured
output as nmap 7.93 (``VULNERABLE:`` block through ``stdnse.format_output``).

Not yet here (said so, not stubbed as done): the registry database that
``save_reports`` switches on in nmap (``add``/``find``/``find_by_id``/``add_ids``/
``get_ids``/``lookup_id``/module-level ``make_output`` over ``nmap.registry.VULNS``).
As in nmap before ``save_reports`` is called, those functions do nothing and return
nothing; ``save_reports`` raises an error saying it is missing.

Script arguments ``vulns.showall`` (and its aliases) and ``vulns.short`` are read when
used, through ``stdnse.get_script_args``, not once at load time as nmap does.
"""

from __future__ import annotations

from typing import Any

from nse.lib import _rt, stdnse, stringaux
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops

__all__ = [
    "STATE", "STATE_MSG", "register_popular_id", "get_popular_link", "add_ids", "get_ids",
    "lookup_id", "add", "find", "find_by_id", "make_output", "format_vuln_table",
    "format_vuln", "save_reports", "Report",
]  # fmt: skip

STATE = LuaTable.from_dict(
    {"LIKELY_VULN": 0x01, "NOT_VULN": 0x02, "VULN": 0x04, "DoS": 0x08, "EXPLOIT": 0x10,
     "UNKNOWN": 0x20}
)  # fmt: skip

STATE_MSG = LuaTable.from_dict(
    {
        0x01: "LIKELY VULNERABLE", 0x02: "NOT VULNERABLE", 0x04: "VULNERABLE",
        0x08: "VULNERABLE (DoS)", 0x10: "VULNERABLE (Exploitable)",
        0x0C: "VULNERABLE (DoS)", 0x14: "VULNERABLE (Exploitable)",
        0x20: "UNKNOWN (unable to test)",
    }
)  # fmt: skip

_RISK_FACTORS = frozenset({"HIGH", "MEDIUM", "LOW"})

#: counter for vulnerabilities reported without any ID ("NMAP-1", "NMAP-2"...)
_nmap_id_num = 0


def _truth(v: Any) -> bool:
    return v is not None and v is not False


def _popular(prefix: str) -> Any:
    def link(id_: Any = None, *_: Any) -> str:
        return stdnse._fmt("%s%s", prefix, id_)

    return link


_POPULAR = LuaTable.from_dict(
    {
        "CVE": _popular("https://cve.mitre.org/cgi-bin/cvename.cgi?name="),
        "OSVDB": _popular("http://osvdb.org/"),
        "BID": _popular("https://www.securityfocus.com/bid/"),
    }
)


def register_popular_id(id_type: Any = None, callback: Any = None, *_: Any) -> bool:
    """Associate ``callback(id) -> link`` with an ID type (upper-cased); True on success."""
    if isinstance(id_type, str) and callable(callback):
        _POPULAR[id_type.upper()] = callback
        return True
    return False


def get_popular_link(id_type: Any = None, id_: Any = None, *_: Any) -> Any:
    """The link for ``id_`` of type ``id_type`` (CVE, OSVDB, BID or registered), or nil."""
    if not isinstance(id_type, str):
        lua_error("bad argument #1 to 'upper' (string expected, got %s)" % ops.type_(id_type))
    cb = _POPULAR[id_type.upper()]
    if _truth(cb):
        return ops.first(ops.call(cb, id_))
    return ()  # nmap's function falls off its end: no value at all


# Before save_reports() nmap's module-level database functions are empty; so are ours.
def add_ids(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def get_ids(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def lookup_id(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def add(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def find(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def find_by_id(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def make_output(*_: Any) -> tuple[()]:
    """No-op until the registry database exists (see module docstring)."""
    return ()


def save_reports(*_: Any) -> Any:
    """Not implemented yet: the registry vulnerability database."""
    lua_error("vulns.save_reports: the registry database is not implemented in this engine")


def _arg(*names: str) -> Any:
    for n in names:
        v = stdnse.get_script_args(n)[0]
        if _truth(v):
            return v
    return None


def _show_all() -> Any:
    return _arg("vulns.showall", "vuln.showall", "vulns.show-all", "vuln.show-all")


def _short() -> Any:
    return _arg("vulns.short")


def _fmt(fmt: str, *args: Any) -> str:
    return stdnse._fmt(fmt, *args)


def _validate(v: Any) -> bool:
    if not isinstance(v, LuaTable):
        return False
    title, state = v["title"], v["state"]
    if not (_truth(title) and isinstance(title, str) and _truth(state)):
        return False
    if not _truth(STATE_MSG[state]):
        return False
    rf = v["risk_factor"]
    if _truth(rf):
        return isinstance(rf, str) and len(rf) > 0 and rf.upper() in _RISK_FACTORS
    return True


def _normalize(v: LuaTable) -> None:
    global _nmap_id_num
    if not _truth(v["IDS"]):
        ids = v["ids"]
        v["IDS"] = ids if _truth(ids) else LuaTable()
    ids = v["IDS"]
    if ids.next(None) is None:
        _nmap_id_num += 1
        ids["NMAP_ID"] = f"NMAP-{_nmap_id_num}"
    else:
        for k, val in list(ids.items()):
            if isinstance(val, (int, float)) and not isinstance(val, bool):
                ids[k] = ops.tostring(val)
    if v["state"] in (STATE["DoS"], STATE["EXPLOIT"]):
        v["state"] = v["state"] | STATE["VULN"]
    for field in ("description", "check_results", "exploit_results", "extra_info",
                  "references"):  # fmt: skip
        if isinstance(v[field], str):
            v[field] = LuaTable.from_list([v[field]])


def _special_lines(field: Any) -> LuaTable | None:
    """A string or list of strings split on line ends; None when empty."""
    out = LuaTable()
    if isinstance(field, LuaTable):
        for _i, line in _ipairs(field):
            if isinstance(line, str):
                for _j, s in _ipairs(stringaux.strsplit("\r?\n", line)):
                    out.append(s)
            else:
                _rt.insert(out, line)
    elif isinstance(field, str):
        out = stringaux.strsplit("\r?\n", field)
    return out if out.next(None) is not None else None


def _ipairs(t: LuaTable) -> Any:
    i = 1
    while True:
        v = t[i]
        if v is None:
            return
        yield i, v
        i += 1


def _nonempty(t: Any) -> bool:
    return isinstance(t, LuaTable) and t.next(None) is not None


def _format_base(v: LuaTable, showall: Any) -> tuple[Any, Any]:
    title, state = v["title"], v["state"]
    if not _truth(title) or not _truth(state) or not _truth(STATE_MSG[state]):
        return None, None
    if not _truth(showall) and (state & STATE["NOT_VULN"]) != 0:
        return None, None
    short = _truth(_short())
    ot = stdnse.output_table()
    out: list[str] = []
    ot["title"] = title
    out.append(ops.tostring(title))
    ot["state"] = STATE_MSG[state]
    out.append(_fmt("  State: %s", STATE_MSG[state]))
    ids = v["IDS"]
    if _nonempty(ids):
        ids_t = LuaTable()
        for k, i in ids.items():
            if k != "NMAP_ID":
                ids_t.append(_fmt("%s:%s", k, i))
        if ids_t.next(None) is not None:
            out.append("  IDs:  " + _rt.concat(ids_t, "  "))
            ot["ids"] = ids_t
    if (state & STATE["NOT_VULN"]) == 0:
        if _truth(v["risk_factor"]):
            risk = ""
            if _nonempty(v["scores"]):
                ot["scores"] = v["scores"]
                for k, s in v["scores"].items():
                    risk += _fmt("  %s: %s", k, s)
            out.append(_fmt("  Risk factor: %s%s", v["risk_factor"], risk))
        if _truth(v["description"]):
            desc = _special_lines(v["description"])
            if desc is not None:
                for _i, line in _ipairs(desc):
                    out.append(_fmt("    %s", line))
                ot["description"] = v["description"]
        dates = v["dates"]
        if _nonempty(dates):
            ot["dates"] = dates
            d = dates["disclosure"]
            if _nonempty(d):
                s = _fmt("%s-%s-%s", d["year"], d["month"], d["day"])
                ot["disclosure"] = s
                out.append("  Disclosure date: " + s)
        for field, head in (("check_results", "  Check results:"),
                            ("exploit_results", "  Exploit results:"),
                            ("extra_info", "  Extra information:")):  # fmt: skip
            val = v[field]
            if _truth(val):
                ot[field] = val
                lines = _special_lines(val)
                if lines is not None:
                    out.append(head)
                    # nmap prints the check results split into lines but the exploit
                    # results and extra info as the raw list entries: kept.
                    src = lines if field == "check_results" else val
                    for _i, line in _ipairs(src):
                        out.append(_fmt("    %s", line))
    if _truth(ids) or _truth(v["references"]):
        refs: dict[str, bool] = {}
        if _nonempty(ids):
            for k, i in ids.items():
                link = ops.first(get_popular_link(ops.tostring(k).upper(), i))
                if _truth(link):
                    refs[link] = True
        if _nonempty(v["references"]):
            for k, r in v["references"].items():
                refs[k if isinstance(k, str) else r] = True
        if refs:
            out.append("  References:")
            ref_t = LuaTable()
            for link in refs:
                out.append(_fmt("    %s", link))
                ref_t.append(link)
            ot["refs"] = ref_t
    if short:
        host = v["host"]
        name = host["targetname"] if _truth(host["targetname"]) else host["ip"]
        cve = ids["CVE"] if _truth(ids["CVE"]) else title
        out = [_fmt("%s %s %s", name, STATE_MSG[state], cve)]
    return LuaTable.from_list(out), ot


def format_vuln_table(vuln_table: Any = None, showall: Any = None, *_: Any) -> Any:
    """The report of one vulnerability as a list of lines (nil if not shown)."""
    out, _ot = _format_base(vuln_table, showall)
    if out is None:
        return ()  # no value, as nmap's (select("#") is 0)
    host = vuln_table["host"]
    if isinstance(host, LuaTable) and _truth(host["ip"]):
        info = "Target: "
        if _truth(host["targetname"]):
            info += ops.tostring(host["targetname"])
        info += _fmt(" (%s)", host["ip"])
        port = vuln_table["port"]
        if _truth(port) and _truth(ops.index(port, "number")):
            svc = ops.index(port, "service")
            info += _fmt("  Port: %s%s", port["number"], "/" + svc if _truth(svc) else "")
        _rt.insert(out, 1, info)
    scripts = vuln_table["scripts"]
    if _nonempty(scripts):
        out.append("  Reported by scripts: " + _rt.concat(scripts, " "))
    return out


def format_vuln(vuln_table: Any = None, showall: Any = None, *_: Any) -> Any:
    """The report of one vulnerability as a string (nil if not shown)."""
    out = format_vuln_table(vuln_table, showall if _truth(showall) else _show_all())
    return _rt.concat(out, "\n") if isinstance(out, LuaTable) else ()


# ------------------------------------------------------------------------------ Report
def _tcopy(src: Any) -> Any:
    if isinstance(src, LuaTable):
        if src.next(None) is None:
            return None
        dst = LuaTable()
        for k, v in src.items():
            dst[k] = _tcopy(v) if isinstance(v, LuaTable) else v
        return dst
    return src


def _report_new(
    self: Any = None, script_name: Any = None, host: Any = None, port: Any = None, *_: Any
) -> LuaTable:
    o = LuaTable()
    o.meta = self
    self["__index"] = self
    o["entries"] = LuaTable.from_dict({"vulns": LuaTable(), "not_vulns": LuaTable()})
    o["script_name"] = script_name
    if _truth(host):
        h = LuaTable()
        for k in ("ip", "targetname", "bin_ip"):
            h[k] = ops.index(host, k)
        o["host"] = h
        if _truth(port):
            p = LuaTable()
            for k in ("number", "protocol", "service"):
                p[k] = ops.index(port, k)
            p["version"] = _tcopy(ops.index(port, "version"))
            o["port"] = p
    return o


def _report_add_popular_id(self: Any = None, id_type: Any = None, cb: Any = None, *_: Any) -> bool:
    return register_popular_id(id_type, cb)


def _report_add_vulns(self: Any = None, *vulns: Any) -> tuple[bool, int]:
    count = 0
    entries = ops.index(self, "entries")
    for v in vulns:
        if _validate(v):
            _normalize(v)
            v["script_name"] = ops.index(self, "script_name")
            v["host"] = ops.index(self, "host")
            v["port"] = ops.index(self, "port")
            key = "not_vulns" if (v["state"] & STATE["NOT_VULN"]) != 0 else "vulns"
            _rt.insert(entries[key], v)
            count += 1
    return count > 0, count


def _report_make_output(self: Any = None, *vulns: Any) -> Any:
    _report_add_vulns(self, *vulns)
    entries = ops.index(self, "entries")
    showall, short = _show_all(), _truth(_short())
    output = LuaTable()
    out_t2 = stdnse.output_table()

    def block(lst: LuaTable, show: Any) -> None:
        n = lst.length()
        for i, v in _ipairs(lst):
            vout, ot = _format_base(v, show)
            if isinstance(ot, LuaTable):
                ids = v["IDS"]
                key = ids["CVE"]
                if not _truth(key):
                    first = ids.next(None)
                    key = ids[first[0]] if first is not None else None
                out_t2[key] = ot
            if vout is not None:
                output.append(_rt.concat(vout, "\n"))
                if n > 1 and i != n:
                    output.append("")

    nv = entries["vulns"].length()
    if nv > 0:
        if not short:
            output.append("VULNERABLE:")
        block(entries["vulns"], None)
    if entries["not_vulns"].length() > 0:
        if _truth(showall):
            if nv > 0:
                output.append("")
            if not short:
                output.append("NOT VULNERABLE:")
        block(entries["not_vulns"], showall)
    # nmap tests #output == 0 and #output_t2 == 0: the output table's length is 0
    if output.length() == 0:
        return None
    return out_t2, stdnse.format_output(True, output)


Report = LuaTable.from_dict(
    {
        "new": _report_new,
        "add_popular_id": _report_add_popular_id,
        "add_vulns": _report_add_vulns,
        "make_output": _report_make_output,
    }
)
