"""``require "vulns"``: vulnerability reports, the API of nmap's vulns.lua.

What is here: ``STATE``/``STATE_MSG``, ``register_popular_id``/``get_popular_link``,
``format_vuln``/``format_vuln_table`` and the ``Report`` class (``new``,
``add_popular_id``, ``add_vulns``, ``make_output``) producing the same text and structured
output as nmap 7.93 (``VULNERABLE:`` block through ``stdnse.format_output``).

The registry database: ``save_reports(filter)`` returns a filter id and switches the
module-level ``add``/``find``/``find_by_id``/``add_ids``/``get_ids``/``lookup_id``/
``make_output`` from doing nothing (nmap's behaviour before ``save_reports``) to working
on ``nmap.registry.VULNS``, merging entries by ID per host:port as nmap does (its quirks
kept and marked "sic").  Sorting of equal ports/hosts uses Python's stable sort where
nmap's ``table.sort`` is not stable.

Script arguments ``vulns.showall`` (and its aliases) and ``vulns.short`` are read when
used, through ``stdnse.script_arg``, not once at load time as nmap does.
"""

from __future__ import annotations

from typing import Any

from nse.lib import _host, _rt, stdnse, stringaux
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.ops import truth as _truth

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


# ------------------------------------------------------------- the registry database
# Before save_reports() nmap's module-level database functions do nothing; after it they
# work on nmap.registry.VULNS, shared by every script of the scan.
_db_state: dict[str, Any] = {"vulns": None, "registry": None}


def _db() -> LuaTable | None:
    reg = _host.registry()
    if _db_state["registry"] is not reg:
        return None  # a new scan (registry): save_reports not called in it yet
    v: LuaTable | None = _db_state["vulns"]
    return v


def _sub(t: LuaTable, k: Any) -> LuaTable:
    v = t[k]
    if not _truth(v):
        v = t[k] = LuaTable()
    return v  # type: ignore[no-any-return]


def save_reports(filter_callback: Any = None, *_: Any) -> int:
    """Switch on the registry database; returns a filter id (``fid``) for this caller.

    ``filter_callback(vuln_table)`` returning true selects the vulnerabilities this fid
    sees (all of them when no callback is given)."""
    db = _db()
    if db is None:
        reg = _host.registry()
        db = _sub(reg, "VULNS")
        for k in ("HOSTS", "NETWORKS"):
            _sub(_sub(db, "ENTRIES"), k)
        _sub(_sub(db, "SHARED"), "REFERENCES")
        _sub(db, "FILTERS_FUNCS")
        _sub(db, "FILTERS_IDS")
        _db_state["vulns"], _db_state["registry"] = db, reg
    funcs = db["FILTERS_FUNCS"]
    funcs.append(filter_callback if callable(filter_callback) else _default_filter)
    fid = funcs.length()
    db["FILTERS_IDS"][fid] = LuaTable()
    return fid


def _default_filter(*_: Any) -> bool:
    return True


def _lookup(fid_table: Any, id_type: Any, id_: Any) -> Any:
    t = fid_table[ops.tostring(id_type).upper()]
    return t[id_] if _truth(t) else None


def add_ids(fid: Any = None, *id_types: Any) -> tuple[()]:
    """Register ID types (``"CVE"``...) for filter ``fid``."""
    db = _db()
    if db is not None:
        ft = db["FILTERS_IDS"][fid]
        for t in id_types:
            up = ops.tostring(t).upper()
            # nmap: fid_table[upper] = fid_table[id_type] or {} (the unconverted key)
            ft[up] = ft[t] if _truth(ft[t]) else LuaTable()
    return ()


def get_ids(fid: Any = None, *_: Any) -> Any:
    """The ID table of filter ``fid``."""
    db = _db()
    return () if db is None else db["FILTERS_IDS"][fid]


def lookup_id(fid: Any = None, id_type: Any = None, id_: Any = None, *_: Any) -> Any:
    """True when filter ``fid`` holds a vulnerability with this ID."""
    db = _db()
    if db is None:
        return ()
    return _truth(_lookup(db["FILTERS_IDS"][fid], id_type, id_))


def _target_key(v: LuaTable) -> str:
    host = v["host"]
    if not _nonempty(host):
        return ""
    target = ops.tostring(ops.first(stdnse.get_hostname(host)))
    if _nonempty(v["port"]):
        target += _fmt(":%d", v["port"]["number"])
    return target


def _update_id(fid_table: LuaTable, id_type: Any, id_: Any, v: LuaTable) -> None:
    up = ops.tostring(id_type).upper()
    fid_table[up] = fid_table[up] if _truth(fid_table[up]) else LuaTable()
    entries = _sub(_sub(fid_table[up], id_), "ENTRIES")
    if _nonempty(v["host"]):
        ip = v["host"]["ip"]
        _sub(_sub(entries, "HOSTS"), ip)[_target_key(v)] = v
    else:
        _sub(entries, "NETWORKS").append(v)


def _push_vuln(db: LuaTable, new: LuaTable) -> LuaTable:
    v = LuaTable.from_dict(
        {"title": new["title"], "state": new["state"], "_FIDS_MATCH": _tcopy(new["_FIDS_MATCH"]),
         "IDS": LuaTable()}
    )  # fmt: skip
    if _nonempty(new["IDS"]):
        for k, i in new["IDS"].items():
            v["IDS"][ops.tostring(k).upper()] = i
    if (new["state"] & STATE["NOT_VULN"]) == 0:
        if _truth(new["risk_factor"]):
            v["risk_factor"] = new["risk_factor"]
            v["scores"] = _tcopy(new["scores"])
        v["description"] = _tcopy(new["description"])
        v["dates"] = _tcopy(new["dates"])
    refs = new["references"]
    if _nonempty(refs):
        rs = LuaTable()
        for _i, link in _ipairs(refs):
            rs[link] = True
        db["SHARED"]["REFERENCES"].append(rs)
        v["references"] = rs
    if _truth(new["script_name"]):
        v["scripts"] = LuaTable.from_list([new["script_name"]])
    if _nonempty(new["host"]):
        v["host"] = _tcopy(new["host"])
        v["port"] = _tcopy(new["port"])
        _sub(db["ENTRIES"]["HOSTS"], v["host"]["ip"]).append(v)
    else:
        db["ENTRIES"]["NETWORKS"].append(v)
    return v


def _update_vuln(old: LuaTable, new: LuaTable) -> LuaTable:
    if old["state"] < new["state"]:
        old["state"] = new["state"]
    for ft, _t in new["_FIDS_MATCH"].items():
        old[ft] = True  # sic: nmap marks the entry itself, not its _FIDS_MATCH
    if _nonempty(new["IDS"]):
        for k, i in new["IDS"].items():
            up = ops.tostring(k).upper()
            if not _truth(old["IDS"][up]):
                old["IDS"][up] = i
    if (old["state"] & STATE["NOT_VULN"]) != 0:
        for k in ("risk_factor", "scores", "description", "dates"):
            old[k] = None
    else:
        if _truth(new["risk_factor"]):
            old["risk_factor"] = new["risk_factor"]
            if not _truth(old["scores"]) and _truth(new["scores"]):
                old["scores"] = _tcopy(new["scores"])
        if not _truth(old["description"]) and _truth(new["description"]):
            old["description"] = _tcopy(new["description"])
        if not _truth(old["dates"]) and _truth(new["dates"]):
            old["dates"] = _tcopy(old["dates"])  # sic: nmap copies the old (nil) dates
    if not _truth(old["port"]) and _truth(new["port"]):
        old["port"] = _tcopy(new["port"])
    if _truth(new["script_name"]):
        _sub(old, "scripts").append(new["script_name"])
    if _nonempty(new["references"]):
        olds = old["references"]
        if _nonempty(olds):
            for _i, link in _ipairs(new["references"]):
                olds[link] = True
        # nmap: next(old_refs) with old_refs nil raises; kept as an error
        if not isinstance(olds, LuaTable):
            lua_error("bad argument #1 to 'next' (table expected, got nil)")
        old["references"] = olds if _nonempty(olds) else None
    return old


def _db_add(db: LuaTable, v: LuaTable) -> bool:
    fids = [fid for fid, cb in _ipairs(db["FILTERS_FUNCS"]) if ops.first(ops.call(cb, v)) is True]
    if not fids:
        return False
    match = LuaTable()
    for fid in fids:
        match[db["FILTERS_IDS"][fid]] = True
    v["_FIDS_MATCH"] = match
    new_ids: dict[Any, tuple[Any, int]] = {}
    old_entries: list[LuaTable] = []
    count = found = 0
    key = _target_key(v) if _nonempty(v["host"]) else ""
    for fid in fids:
        for k, i in v["IDS"].items():
            count += 1
            hit = False
            d = _lookup(db["FILTERS_IDS"][fid], k, i)
            if _truth(d) and _truth(d["ENTRIES"]) and _truth(d["ENTRIES"]["HOSTS"]):
                if _nonempty(v["host"]):
                    lst = d["ENTRIES"]["HOSTS"][v["host"]["ip"]]
                    if _truth(lst) and _truth(lst[key]):
                        if not old_entries or old_entries[-1] is not lst[key]:
                            old_entries.append(lst[key])
                        found += 1
                        hit = True
            if not hit:
                new_ids[k] = (i, fid)
    ref = _update_vuln(old_entries[0], v) if found > 0 else _push_vuln(db, v)
    if found < count:
        for fid in fids:
            for k, (i, f) in new_ids.items():
                if f == fid:
                    _update_id(db["FILTERS_IDS"][f], k, i, ref)
    return True


def add(script_name: Any = None, *vulns: Any) -> Any:
    """Save vulnerabilities in the registry database: ``true|false, count``."""
    db = _db()
    if db is None:
        return ()
    if not _truth(script_name) or not vulns:
        return False
    count = 0
    for v in vulns:
        if _validate(v):
            _normalize(v)
            v["script_name"] = script_name
            if _db_add(db, v):
                count += 1
    return count > 0, count


def _norm_filter(f: Any) -> LuaTable | None:
    if not _nonempty(f):
        return None
    r = LuaTable()
    if _truth(f["state"]) and _truth(STATE_MSG[f["state"]]):
        r["state"] = f["state"]
    rf = f["risk_factor"]
    if isinstance(rf, str) and rf.upper() in _RISK_FACTORS:
        r["risk_factor"] = rf.upper()
    for k in ("hosts_filter", "ports_filter"):
        if callable(f[k]) and not isinstance(f[k], LuaTable):
            r[k] = f[k]
    if isinstance(f["id_type"], str):
        r["id_type"] = f["id_type"].upper()
        r["id"] = f["id"]
    return r


def _filter_ok(v: LuaTable, f: LuaTable | None) -> bool:
    if f is None or f.next(None) is None:
        return True
    if _truth(f["state"]) and (v["state"] & f["state"]) == 0:
        return False
    if _truth(f["risk_factor"]):
        rf = v["risk_factor"]
        if not _truth(rf) or ops.tostring(rf).upper() != ops.tostring(f["risk_factor"]).upper():
            return False
    for k, field in (("hosts_filter", "host"), ("ports_filter", "port")):
        if _truth(f[k]):
            if not _nonempty(v[field]) or not _truth(ops.first(ops.call(f[k], v[field]))):
                return False
    if _truth(f["id_type"]):
        ids = v["IDS"]
        if not _nonempty(ids) or not _truth(ids[f["id_type"]]):
            return False
        if _truth(f["id"]):
            return bool(ops.eq(ids[f["id_type"]], f["id"]))
    return True


def _matches(db_fid: LuaTable, v: LuaTable, f: LuaTable | None) -> bool:
    return _truth(v["_FIDS_MATCH"][db_fid]) and _filter_ok(v, f)


def _selection(fid: Any, selection_filter: Any) -> tuple[LuaTable, LuaTable, Any] | None:
    """What find and make_output select from: the database, the entries ``fid`` has seen
    and the normalised filter; None when there is nothing (both then return nothing)."""
    db = _db()
    if db is None:
        return None
    ft = db["FILTERS_IDS"][fid]
    if not _nonempty(ft):
        return None
    return db, ft, _norm_filter(selection_filter)


def find(fid: Any = None, selection_filter: Any = None, *_: Any) -> Any:
    """The saved vulnerabilities seen by ``fid`` matching the filter (a list, or nil)."""
    sel = _selection(fid, selection_filter)
    if sel is None:
        return ()
    db, ft, f = sel
    out = LuaTable()
    for _ip, lst in db["ENTRIES"]["HOSTS"].items():
        for _i, v in _ipairs(lst):
            if _matches(ft, v, f):
                out.append(v)
    for _i, v in _ipairs(db["ENTRIES"]["NETWORKS"]):
        if _matches(ft, v, f):
            out.append(v)
    return out if out.length() > 0 else None


def find_by_id(fid: Any = None, id_type: Any = None, id_: Any = None, *_: Any) -> Any:
    """The saved vulnerabilities with this ID seen by ``fid`` (a list, or nil)."""
    db = _db()
    if db is None:
        return ()
    d = _lookup(db["FILTERS_IDS"][fid], id_type, id_)
    if not _truth(d):
        return ()
    out = LuaTable()
    hosts = d["ENTRIES"]["HOSTS"]
    if _nonempty(hosts):
        for _ip, lst in hosts.items():
            for _k, v in lst.items():
                out.append(v)
    if _nonempty(d["ENTRIES"]["NETWORKS"]):
        # nmap reads ENTRIES.NETWOKRS (sic) here: ipairs(nil) raises
        lua_error("bad argument #1 to 'for iterator' (table expected, got nil)")
    return out if out.length() > 0 else None


def _push_output(output: LuaTable, lst: list[LuaTable], showall: Any) -> None:
    for idx, v in enumerate(lst, 1):
        vout = format_vuln_table(v, showall)
        if isinstance(vout, LuaTable):
            output.append(_rt.concat(vout, "\n"))
            if len(lst) > 1 and idx != len(lst):
                output.append("")


def make_output(fid: Any = None, selection_filter: Any = None, *_: Any) -> Any:
    """The report of every saved vulnerability seen by ``fid``, per host then network."""
    sel = _selection(fid, selection_filter)
    if sel is None:
        return ()
    db, ft, f = sel
    showall = _show_all()
    hosts = []
    for ip, lst in db["ENTRIES"]["HOSTS"].items():
        h: dict[str, Any] = {"ip": ip, "vulns": [], "not_vulns": []}
        for _i, v in _ipairs(lst):
            if _matches(ft, v, f):
                if (v["state"] & STATE["NOT_VULN"]) == 0:
                    h["vulns"].append(v)
                elif _truth(showall):
                    h["not_vulns"].append(v)
        h["state"] = STATE["VULN"] if h["vulns"] else STATE["NOT_VULN"]
        hosts.append(h)
    net_v, net_nv = [], []
    for _i, v in _ipairs(db["ENTRIES"]["NETWORKS"]):
        if _matches(ft, v, f):
            if (v["state"] & STATE["NOT_VULN"]) == 0:
                net_v.append(v)
            elif _truth(showall):
                net_nv.append(v)
    output = LuaTable()
    hosts.sort(key=lambda h: _ip_key(h["ip"]))
    for hidx, h in enumerate(hosts, 1):
        output.append(_fmt("Vulnerability report for %s: %s", h["ip"], STATE_MSG[h["state"]]))
        if h["vulns"]:
            h["vulns"].sort(key=_port_key)
            _push_output(output, h["vulns"], None)
        if h["not_vulns"] and _truth(showall):
            if h["vulns"]:
                output.append("")
            _push_output(output, h["not_vulns"], showall)
        if len(hosts) > 1 and hidx != len(hosts):
            output.append("")
    if net_v:
        if hosts:
            output.append("")
        output.append("VULNERABLE Entries:")
        _push_output(output, net_v, None)
    if net_nv and _truth(showall):
        output.append("")  # nmap: `#networks.vulns or ...` is always true
        output.append("NOT VULNERABLE Entries:")
        _push_output(output, net_nv, showall)
    return stdnse.format_output(True, output if output.length() > 0 else None)


def _ip_key(ip: Any) -> Any:
    import ipaddress

    try:
        a = ipaddress.ip_address(ip)
        return (a.version, int(a))
    except ValueError:
        return (9, 0)


def _port_key(v: LuaTable) -> int:
    p = v["port"]
    return p["number"] if _truth(p) and isinstance(p["number"], int) else 0


def _show_all() -> Any:
    return stdnse.script_arg(("vulns.showall", "vuln.showall", "vulns.show-all", "vuln.show-all"))


def _short() -> Any:
    return stdnse.script_arg("vulns.short")


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
            add(v["script_name"], v)
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
