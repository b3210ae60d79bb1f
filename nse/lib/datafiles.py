"""``require "datafiles"``: read nmap's data files (nmap-services, nmap-protocols,
nmap-rpc, nmap-mac-prefixes) as nmap's datafiles.lua.

Files are found through :mod:`nse.lib.datadir`.  Parsed results are cached in the
registry's ``datafiles`` table like nselib does (``_host.registry()``).

``parse_file(filename, ...)`` keeps nselib's generic interface: each extra argument is a
"data structure" table whose keys/values are Lua patterns or functions (see nselib's
documentation).  The four common files use fixed structures; they are matched here with
Python regular expressions equivalent to nselib's Lua patterns, which is much faster on
the 27 000 lines of nmap-services.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from nse.lib import _host, datadir
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops, strlib
from nse.lua.numfmt import str2number

__all__ = [
    "parse_protocols",
    "parse_rpc",
    "parse_services",
    "parse_mac_prefixes",
    "parse_file",
    "parse_lines",
    "read_from_file",
    "get_array",
    "get_assoc_array",
]

_S = "[ \\t\\n\\v\\f\\r]"
_NS = "[^ \\t\\n\\v\\f\\r#]"


def _num_key(rx: str) -> Callable[..., Any]:
    prog = re.compile(rx)

    def key(ln: Any = None, *_: Any) -> Any:
        m = prog.match(ln)
        return str2number(m.group(1)) if m else None

    return key


def _pattern(rx: str) -> re.Pattern[str]:
    return re.compile(rx)


# The fixed structures of the common files: {key (function or regex): value regex}
_NAME_NUM = _pattern(f"{_S}*({_NS}+){_S}+[0-9]+")
_COMMON: dict[str, Any] = {
    "nmap-rpc": (_num_key(f"{_S}*{_NS}+{_S}+([0-9]+)"), _NAME_NUM),
    "nmap-protocols": (_num_key(f"{_S}*{_NS}+{_S}+([0-9]+)"), _NAME_NUM),
    "nmap-services": {
        "tcp": (
            _num_key(f"{_S}*{_NS}+{_S}+([0-9]+)/tcp"),
            _pattern(f"{_S}*({_NS}+){_S}+[0-9]+/tcp"),
        ),
        "udp": (
            _num_key(f"{_S}*{_NS}+{_S}+([0-9]+)/udp"),
            _pattern(f"{_S}*({_NS}+){_S}+[0-9]+/udp"),
        ),
    },
    "nmap-mac-prefixes": (
        _pattern(f"{_S}*([A-Za-z0-9]+){_S}+[^#]+"),
        _pattern(f"{_S}*[A-Za-z0-9]+{_S}+([^#]+)"),
    ),
}


def _assoc_fast(lines: list[str], key: Any, val: re.Pattern[str]) -> LuaTable:
    ret = LuaTable()
    for line in lines:
        if isinstance(key, re.Pattern):
            m = key.match(line)
            index = m.group(1) if m else None
        else:
            index = key(line)
        if index is not None:
            m = val.match(line)
            if m:
                ret[index] = m.group(1)
    return ret


def _datafiles_cache() -> LuaTable:
    reg = _host.registry()
    t = reg["datafiles"]
    if not isinstance(t, LuaTable):
        t = LuaTable()
        reg["datafiles"] = t
    return t


def _read_lines(filename: str) -> tuple[bool, Any]:
    r = read_from_file(filename)
    return r[0], r[1]


def _parse_common(filename: str, protocol: str | None = None) -> tuple[bool, Any]:
    ok, lines = _read_lines(filename)
    if not ok:
        return False, f"Error in datafiles.parse_file: {filename} could not be read: {lines}."
    lines = lines.to_list()
    if not lines:
        return False, "Error in datafiles.parse_lines: No lines to parse."
    spec = _COMMON[filename]
    if filename == "nmap-services":
        if protocol is not None:
            return True, _assoc_fast(lines, *spec[protocol])
        return True, LuaTable.from_dict({p: _assoc_fast(lines, *s) for p, s in spec.items()})
    return True, _assoc_fast(lines, *spec)


def _parse_and_cache(filename: str) -> tuple[bool, Any]:
    cache = _datafiles_cache()
    if cache[filename] is None:
        ok, v = _parse_common(filename)
        if not ok:
            return False, f"Error parsing {filename}"
        cache[filename] = v
    return True, cache[filename]


def parse_protocols(*_: Any) -> tuple[bool, Any]:
    """``true, {number = name}`` from nmap-protocols."""
    return _parse_and_cache("nmap-protocols")


def parse_rpc(*_: Any) -> tuple[bool, Any]:
    """``true, {number = name}`` from nmap-rpc."""
    return _parse_and_cache("nmap-rpc")


def parse_mac_prefixes(*_: Any) -> tuple[bool, Any]:
    """``true, {prefix = vendor}`` from nmap-mac-prefixes."""
    return _parse_and_cache("nmap-mac-prefixes")


def parse_services(protocol: Any = None, *_: Any) -> tuple[bool, Any]:
    """``true, {port = name}`` for ``"tcp"``/``"udp"``, or ``{tcp = ..., udp = ...}``."""
    if ops.truth(protocol) and protocol not in ("tcp", "udp"):
        return False, "Bad protocol for nmap-services: use tcp or udp"
    cache = _datafiles_cache()
    services = cache["services"]
    if not isinstance(services, LuaTable):
        services = LuaTable()
        cache["services"] = services
    if ops.truth(protocol):
        if services[protocol] is None:
            ok, v = _parse_common("nmap-services", protocol)
            if not ok:
                services[protocol] = None
                return False, "Error parsing nmap-services"
            services[protocol] = v
        return True, services[protocol]
    ok, v = _parse_common("nmap-services")
    if not ok:
        cache["services"] = None
        return False, "Error parsing nmap-services"
    cache["services"] = v
    return True, v


def read_from_file(file: Any = None, *_: Any) -> tuple[bool, Any]:
    """``true, {lines}`` of a data file found by ``nmap.fetchfile``; ``false, err``."""
    path = datadir.fetchfile(file) if isinstance(file, str) else None
    if path is None:
        return False, f"Error in nmap.fetchfile: Could not find file {ops.tostring(file)}."
    try:
        with open(path, "rb") as f:
            data = f.read().decode("latin-1")
    except OSError as e:
        return False, (
            f"Error in datafiles.read_from_file: Cannot open {path} for reading: "
            f"{path}: {e.strerror}"
        )
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # io.lines: no empty line after a final newline
    return True, LuaTable.from_list(lines)


def _match(line: str, pat: Any) -> Any:
    if isinstance(pat, str):
        return ops.first(strlib.str_match(line, pat))
    return ops.first(ops.call(pat, line))


def _string_lines(lines: LuaTable) -> Iterator[str]:
    """The values of ``lines`` in table order, each checked to be a string (nselib's
    ``assert(type(line) == "string")``), one at a time as the caller consumes them."""
    for _i, line in lines.items():
        if not isinstance(line, str):
            lua_error("assertion failed!")
        yield line


def get_array(lines: Any = None, v_pattern: Any = None, *_: Any) -> LuaTable:
    """``{captured value}`` of every line (a Lua pattern or a function of the line)."""
    ret = LuaTable()
    for line in _string_lines(lines):
        v = _match(line, v_pattern)
        if v is not None:
            ret.append(v)
    return ret


def get_assoc_array(
    lines: Any = None, i_pattern: Any = None, v_pattern: Any = None, *_: Any
) -> LuaTable:
    """``{index = value}`` from every line where both captures succeed."""
    ret = LuaTable()
    for line in _string_lines(lines):
        index = _match(line, i_pattern)
        if index is not None:
            m = _match(line, v_pattern)
            if m is not None:
                ret[index] = m
    return ret


def parse_lines(lines: Any = None, data_struct: Any = None, *_: Any) -> tuple[bool, Any]:
    """Apply a data structure to lines (see nselib's datafiles documentation)."""
    if not isinstance(lines, LuaTable) or len(lines) < 1:
        return False, "Error in datafiles.parse_lines: No lines to parse."
    if not isinstance(data_struct, LuaTable) or data_struct.next() is None:
        return (
            False,
            "Error in datafiles.parse_lines: Expected second parameter as a non-empty table.",
        )
    ret: Any = LuaTable()
    for index, value in data_struct.items():
        if isinstance(index, int | float) or isinstance(value, LuaTable):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return False, "Error in datafiles.parse_lines: No patterns for data capture."
            if isinstance(value, str) or (callable(value) and not isinstance(value, LuaTable)):
                ret = get_array(lines, value)
            elif isinstance(value, LuaTable):
                ret[index] = parse_lines(lines, value)[1]
        elif isinstance(index, str) or callable(index):
            if isinstance(value, str) or (callable(value) and not isinstance(value, LuaTable)):
                ret = get_assoc_array(lines, index, value)
            else:
                return False, (
                    f"Error in datafiles.parse_lines: Invalid value for index {ops.tostring(index)}."
                )
    return True, ret


def parse_file(filename: Any = None, *structs: Any) -> tuple[Any, ...]:
    """``true, result...`` parsing ``filename`` with one result per data structure (the
    common files have default structures; ``"nmap-services", "tcp"`` selects one)."""
    if not isinstance(filename, str) or filename == "":
        return False, "Error in datafiles.parse_file: No file to parse."
    first = structs[0] if structs else None
    if (
        filename in _COMMON
        and isinstance(first, str)
        and filename == "nmap-services"
        and first in ("tcp", "udp")
    ):
        ok, v = _parse_common(filename, first)
        return (True, v) if ok else (False, v)
    if filename in _COMMON and not structs:
        ok, v = _parse_common(filename)
        return (True, v) if ok else (False, v)
    if not isinstance(first, LuaTable):
        return False, "Error in datafiles.parse_file: Expected second parameter as table."
    data_struct = list(structs)
    for i, struc in enumerate(data_struct):
        if not isinstance(struc, LuaTable):
            return False, "Error in datafiles.parse_file: Bad Parameter."
        if struc.next() is None:
            data_struct[i] = LuaTable.from_list(["^(.+)$"])
    ok, lines = read_from_file(filename)
    if not ok:
        return False, f"Error in datafiles.parse_file: {filename} could not be read: {lines}."
    out = []
    for ds in data_struct:
        ok, r = parse_lines(lines, ds)
        if not ok:
            return False, r
        out.append(r)
    return (True, *out)
