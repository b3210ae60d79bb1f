"""``require "ipOps"``: IP address utilities as nmap 7.93's ipOps.lua.

Results and error messages are nmap's, including how it treats odd inputs: ``expand_ip``
keeps the spelling of each part (``"010.1"`` -> ``"010.1.0.0"``, ``"FE80::0001"`` keeps its
case and zeros), hexadectets are read with Lua's ``tonumber(s, 16)`` (which wraps modulo
2^64 for very long strings), ``isPrivate`` matches string prefixes of the expanded address
(``192.0.20.1`` counts as ``192.0.2/24``), ``cidr_to_subnet`` wants exactly two digits.
(nmap 7.93 has no ``ipOps.split``.)
"""

from __future__ import annotations

import math
import re
from typing import Any

from nse.lib._util import LuaTable, check_table, lua_error, typename
from nse.lua.numfmt import str2number, tointeger, wrap_int

__all__ = [
    "isPrivate",
    "todword",
    "fromdword",
    "get_parts_as_number",
    "compare_ip",
    "ip_sort",
    "ip_in_range",
    "expand_ip",
    "get_ips_from_range",
    "get_first_last_ip",
    "get_first_ip",
    "get_last_ip",
    "ip_to_str",
    "str_to_ip",
    "ip_to_bin",
    "bin_to_ip",
    "hex_to_bin",
    "cidr_to_subnet",
    "subnet_to_cidr",
]

_E = "Error in ipOps."
_ERR4 = _E + "expand_ip: An address assumed to be IPv4 was malformed."
_ERR6 = _E + "expand_ip: An address assumed to be IPv6 was malformed."
_ERR4IN6 = _E + "expand_ip: An address assumed to be IPv4in6 was malformed."
_SPACE = "[ \t\n\v\f\r]"


def _tonumber_base(s: str, base: int) -> int:
    """``tonumber(s, base)`` for a string of valid digits: accumulates in 64-bit integers
    (lbaselib.c ``luaB_tonumber`` wraps silently)."""
    return wrap_int(int(s, base))


def _tohex(n: int) -> str:
    # stdnse.tohex(number) is ("%x"):format(n); negative integers print as unsigned
    return "%x" % (n & 0xFFFFFFFFFFFFFFFF)


def _lua_sub(s: str, i: int, j: int) -> str:
    """``string.sub`` (Lua 5.4 manual §6.4.1: negative indices count from the end)."""
    n = len(s)
    if i < 0:
        i = max(n + i + 1, 1)
    elif i == 0:
        i = 1
    if j < 0:
        j = n + j + 1
    elif j > n:
        j = n
    return s[i - 1 : j] if i <= j else ""


def expand_ip(ip: Any = None, family: Any = None, *_: Any) -> Any:
    """Expand an IPv4 address to four parts or an IPv6 address to eight hexadectets
    (``family == "inet6"`` maps IPv4 into ``0:0:0:0:0:ffff:x:y``); ``nil, err`` on error."""
    if not isinstance(ip, str) or ip == "":
        return None, _E + "expand_ip: Expected IP address as a string."
    if ":" not in ip:
        if re.search(r"[^.0-9]", ip):
            return None, _ERR4
        octets = re.findall(r"[0-9]+", ip)
        for o in octets:
            if _tonumber_base(o, 10) > 255:
                return None, _ERR4
        if len(octets) > 4:
            return None, _ERR4
        octets += ["0"] * (4 - len(octets))
        if family == "inet6":
            o = [int(x) for x in octets]
            return ":".join(
                ["0"] * 5 + ["ffff", _tohex(256 * o[0] + o[1]), _tohex(256 * o[2] + o[3])]
            )
        return ".".join(octets)
    if family is not None and family != "inet6":
        return None, _E + "expand_ip: Cannot convert IPv6 address to IPv4"
    if re.search(r"[^.:0-9a-fA-F]", ip):
        return None, _ERR6
    ip = ip.replace("::", ":z:")
    hexadectets = re.findall(r"[.z0-9a-fA-F]+", ip)
    if not hexadectets:
        lua_error("attempt to index a nil value (field '?')")
    if "." in hexadectets[-1]:
        v4 = expand_ip(hexadectets[-1])
        if isinstance(v4, tuple):
            return None, _ERR4IN6
        t = [int(x) for x in re.split(r"\.+", v4)]
        hexadectets[-1] = _tohex(256 * t[0] + t[1])
        hexadectets.append(_tohex(256 * t[2] + t[3]))
    z_done = False
    i = 0
    while i < len(hexadectets):  # the list grows while it is walked, as with ipairs
        value = hexadectets[i]
        if "." in value:
            return None, _ERR6
        if value == "z":
            if z_done:
                return None, _ERR6
            z_done = True
            hexadectets[i] = "0"
            bound = 8 - len(hexadectets)
            for k in range(1, bound + 1):
                hexadectets.insert(i + k, "0")
        elif _tonumber_base(value, 16) > 65535:
            return None, _ERR6
        i += 1
    if len(hexadectets) > 8:
        return None, _ERR6
    hexadectets += ["0"] * (8 - len(hexadectets))
    return ":".join(hexadectets)


def _expand(ip: Any, family: Any = None) -> tuple[str | None, str | None]:
    r = expand_ip(ip, family)
    if isinstance(r, tuple):
        return None, r[1]
    return r, None


def isPrivate(ip: Any = None, *_: Any) -> Any:
    """``true, range`` when ``ip`` is in a private/reserved range nmap knows; ``false, nil``
    otherwise; ``nil, err`` for a malformed address."""
    ip, err = _expand(ip)
    if err is not None:
        return None, err
    assert ip is not None
    if ":" in ip:
        for rng in ("::/127", "FC00::/7", "FE80::/10", "FEC0::/10"):
            r = ip_in_range(ip, rng)
            is_private, err = (r if isinstance(r, tuple) else (r, None))[:2]
            if is_private is True:
                return True, rng
            if err is not None:
                return None, err
    elif ip.startswith("10."):
        return True, "10/8"
    elif ip.startswith("127."):
        return True, "127/8"
    elif ip.startswith("169.254."):
        return True, "169.254/16"
    elif ip.startswith("172."):
        r = ip_in_range(ip, "172.16/12")
        p, e = (r if isinstance(r, tuple) else (r, None))[:2]
        if p is True:
            return True, "172.16/12"
        return p, e
    elif ip.startswith("192."):
        if ip[4:8] == "168.":
            return True, "192.168/16"
        if re.match(r"192\.00?0?\.00?0?\.", ip):
            return True, "192.0.0/24"
        if re.match(r"192\.00?0?\.0?0?2", ip):
            return True, "192.0.2/24"
    elif ip.startswith("198."):
        if re.match(r"198\.0?18\.", ip) or re.match(r"198\.0?19\.", ip):
            return True, "198.18/15"
        if re.match(r"198\.0?51\.100\.", ip):
            return True, "198.51.100/24"
    elif re.match(r"203\.00?0?\.113\.", ip):
        return True, "203.0.113/24"
    elif re.match(r"224\.00?0?\.00?0?\.", ip):
        return True, "224.0.0/24"
    elif re.match(r"24[0-9]\.", ip) or re.match(r"25[0-5]\.", ip):
        return True, "240.0.0/4"
    return False, None


def get_parts_as_number(ip: Any = None, *_: Any) -> Any:
    """The numeric parts of an address (4 decimal or 8 hex) as a table; ``nil, err``."""
    ip, err = _expand(ip)
    if err is not None:
        return None, err
    assert ip is not None
    if ":" in ip:
        parts = [_tonumber_base(p, 16) for p in re.findall(r"[0-9a-fA-F]+", ip)]
    else:
        parts = [int(p) for p in re.findall(r"[0-9]+", ip)]
    return LuaTable.from_list(parts)


def todword(ip: Any = None, *_: Any) -> Any:
    """An IPv4 address as a 32-bit number; ``nil, err``."""
    if not isinstance(ip, str) or ":" in ip:
        return None, _E + "todword: Expected IPv4 address."
    n = get_parts_as_number(ip)
    if isinstance(n, tuple):
        return n
    return ((n[1] * 256 + n[2]) * 256 + n[3]) * 256 + n[4]


def fromdword(ip: Any = None, *_: Any) -> Any:
    """A 32-bit number as a dotted IPv4 string (nil for a non-number)."""
    if not isinstance(ip, int | float) or isinstance(ip, bool):
        return None
    n = tointeger(ip)
    if n is None:
        lua_error("bad argument #2 to 'pack' (number has no integer representation)")
    if not 0 <= n < 2**32:
        lua_error("bad argument #2 to 'pack' (unsigned overflow)")
    return ".".join(str(b) for b in n.to_bytes(4, "big"))


def ip_to_str(ip: Any = None, family: Any = None, *_: Any) -> Any:
    """The address as 4 or 16 raw bytes; ``nil, err``."""
    ip, err = _expand(ip, family)
    if err is not None:
        return None, err
    assert ip is not None
    if ":" not in ip:
        return "".join(chr(int(o)) for o in re.findall(r"[0-9]+", ip))
    out = []
    for h in re.findall(r"[0-9a-fA-F]+", ip):
        v = _tonumber_base(h, 16)
        if not 0 <= v < 65536:
            lua_error("bad argument #2 to 'pack' (unsigned overflow)")
        out.append(chr(v >> 8) + chr(v & 0xFF))
    return "".join(out)


def str_to_ip(ip: Any = None, *_: Any) -> Any:
    """4 or 16 raw bytes as an address string (IPv6 with the first run of zeros
    collapsed as nselib does); ``nil, "Invalid length"``."""
    if isinstance(ip, LuaTable):
        n = len(ip)
    elif isinstance(ip, str):
        n = len(ip)
    else:
        return lua_error(f"attempt to get length of a {typename(ip)} value (local 'ip')")
    if n == 4:
        return "%d.%d.%d.%d" % tuple(ord(c) for c in ip)
    if n == 16:
        words = [(ord(ip[i]) << 8) | ord(ip[i + 1]) for i in range(0, 16, 2)]
        full = ":".join("%x" % w for w in words)
        full = re.sub(r":[:0]+", "::", full, count=1)
        full = re.sub(r"^0::", "::", full, count=1)
        return full
    return None, "Invalid length"


def _compare_key(ip: str) -> str | None:
    s = ip_to_str(ip)
    return None if isinstance(s, tuple) else chr(len(s)) + s


def compare_ip(left: Any = None, op: Any = None, right: Any = None, *_: Any) -> Any:
    """Compare two addresses with ``op`` in eq, ne, le, ge, lt, gt (IPv4 sorts before
    IPv6); ``nil, err``."""
    if not isinstance(left, str) or not isinstance(right, str):
        return None, _E + "compare_ip: Expected IP address as a string."
    errs = []
    ls = ip_to_str(left)
    if isinstance(ls, tuple):
        errs.append(ls[1])
    rs = ip_to_str(right)
    if isinstance(rs, tuple):
        errs.append(rs[1])
    if errs:
        return None, " ".join(errs)
    # string.pack("s1", x): a length byte first
    a = chr(len(ls)) + ls
    b = chr(len(rs)) + rs
    ops = {"eq": a == b, "ne": a != b, "le": a <= b, "ge": a >= b, "lt": a < b, "gt": a > b}
    if isinstance(op, str) and op in ops:
        return ops[op]
    return None, _E + "compare_ip: Invalid Operator."


def ip_sort(ips: Any = None, op: Any = None, *_: Any) -> tuple[()]:
    """Sort a table of address strings in place (``op`` "lt" by default)."""
    t = check_table(ips, 1, "sort")
    op = op if op is not None and op is not False else "lt"

    def less(a: Any, b: Any) -> bool:
        r = compare_ip(a, op, b)
        r = r[0] if isinstance(r, tuple) else r
        return r is not None and r is not False

    # table.sort itself: Lua's quicksort gives the same order for ties and the same
    # "invalid order function for sorting" errors
    from nse.lib import _rt

    _rt.sort(t, less)
    return ()


def ip_in_range(ip: Any = None, range_: Any = None, *_: Any) -> Any:
    """Whether ``ip`` lies in ``range`` (``a.b.c.d/n`` or ``first-last``); ``nil, err``."""
    r = get_ips_from_range(range_)
    first, last, err = r if len(r) == 3 else (*r, None)
    if err is not None:
        return None, err
    ip, err = _expand(ip)
    if err is not None:
        return None, err
    assert ip is not None
    if (":" in ip) != (":" in first):
        return None, _E + "ip_in_range: IP address is of a different address family to Range."
    ge = compare_ip(ip, "ge", first)
    le = compare_ip(ip, "le", last)
    errs = [x[1] for x in (ge, le) if isinstance(x, tuple)]
    if errs:
        return None, " ".join(errs)
    return bool(ge) and bool(le)


def get_ips_from_range(range_: Any = None, *_: Any) -> tuple[Any, ...]:
    """First and last address of a range; ``nil, nil, err``."""
    if not isinstance(range_, str):
        return None, None, _E + "get_ips_from_range: Expected a range as a string."
    m = re.fullmatch(_SPACE + r"*([0-9a-fA-F:.]+)/([0-9]+)" + _SPACE + "*", range_)
    if m:
        return get_first_last_ip(m.group(1), m.group(2))
    m = re.fullmatch(
        _SPACE
        + r"*([0-9a-fA-F:.]+)"
        + _SPACE
        + r"*-"
        + _SPACE
        + r"*([0-9a-fA-F:.]+)"
        + _SPACE
        + "*",
        range_,
    )
    if not m:
        return None, None, _E + "get_ips_from_range: The range supplied could not be interpreted."
    first, err = _expand(m.group(1))
    last = None
    if err is None:
        last, err = _expand(m.group(2))
    if err is None and ((":" in first) != (":" in last)):  # type: ignore[operator]
        err = (
            _E + "get_ips_from_range: First IP address is of a different address family "
            "to last IP address."
        )
    if err is not None:
        return None, None, err
    return first, last


def get_first_last_ip(ip: Any = None, prefix: Any = None, *_: Any) -> tuple[Any, ...]:
    """First and last address of ``ip/prefix``; ``nil, nil, err``."""
    b = ip_to_bin(ip)
    if isinstance(b, tuple):
        return None, None, b[1]
    if isinstance(prefix, str):
        p: Any = str2number(prefix)
    elif isinstance(prefix, int | float) and not isinstance(prefix, bool):
        p = prefix
    else:
        p = None
    if (
        p is None
        or (isinstance(p, float) and (math.isnan(p) or math.isinf(p) or not p.is_integer()))
        or p < 0
        or p > len(b)
    ):
        return None, None, _E + "get_first_last_ip: Invalid prefix."
    p = int(p)
    net = b[:p]
    return bin_to_ip(net + "0" * (len(b) - p)), bin_to_ip(net + "1" * (len(b) - p))


def get_first_ip(ip: Any = None, prefix: Any = None, *_: Any) -> tuple[Any, Any]:
    """First address of ``ip/prefix``; ``nil, err``."""
    r = get_first_last_ip(ip, prefix)
    return r[0], (r[2] if len(r) == 3 else None)


def get_last_ip(ip: Any = None, prefix: Any = None, *_: Any) -> tuple[Any, Any]:
    """Last address of ``ip/prefix``; ``nil, err``."""
    r = get_first_last_ip(ip, prefix)
    return r[1], (r[2] if len(r) == 3 else None)


def ip_to_bin(ip: Any = None, *_: Any) -> Any:
    """The address as a string of 32 or 128 binary digits; ``nil, err``."""
    ip, err = _expand(ip)
    if err is not None:
        return None, err
    assert ip is not None
    if ":" not in ip:
        parts = [_tohex(int(o)) for o in re.findall(r"[0-9]+", ip)]
        mask = "00"
    else:
        parts = re.findall(r"[0-9a-fA-F]+", ip)
        mask = "0000"
    parts = [_lua_sub(mask, 1, len(mask) - len(v)) + v for v in parts]
    return hex_to_bin("".join(parts))


def bin_to_ip(binstring: Any = None, *_: Any) -> Any:
    """32 or 128 binary digits as an address (IPv6 uncompressed); ``nil, err``."""
    if not isinstance(binstring, str) or re.search(r"[^01]", binstring):
        return None, _E + "bin_to_ip: Expected string of binary digits."
    if len(binstring) == 32:
        return ".".join(str(int(binstring[i : i + 8], 2)) for i in range(0, 32, 8))
    if len(binstring) == 128:
        return ":".join("%x" % int(binstring[i : i + 16], 2) for i in range(0, 128, 16))
    return None, _E + "bin_to_ip: Expected exactly 32 or 128 binary digits."


def hex_to_bin(hex_: Any = None, *_: Any) -> Any:
    """Hex digits as binary digits; ``false, err`` for a non-hex character."""
    if not isinstance(hex_, str):
        return None, _E + "hex_to_bin: Expected string"
    s = hex_.lower()
    if re.search(r"[^0-9a-f]", s):
        return False, _E + "hex_to_bin: Expected string representing a hexadecimal number."
    return "".join(format(int(c, 16), "04b") for c in s)


def cidr_to_subnet(subnet: Any = None, *_: Any) -> Any:
    """``"/24"`` -> ``"255.255.255.0"`` (exactly two digits after the slash, else nil)."""
    if not isinstance(subnet, str):
        return lua_error(f"attempt to index a {typename(subnet)} value (local 'subnet')")
    m = re.search(r"/([0-9][0-9])\Z", subnet)
    if not m:
        return None
    bits = int(m.group(1))
    return fromdword(((0xFFFFFFFF >> bits) if bits < 64 else 0) ^ 0xFFFFFFFF)


def subnet_to_cidr(subnet: Any = None, *_: Any) -> Any:
    """``"255.255.255.0"`` -> ``"/24"``; ``nil, err``."""
    r = todword(subnet)
    if isinstance(r, tuple):
        return r
    x = float((r ^ 0xFFFFFFFF) + 1)
    lg = math.log2(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    n = tointeger(lg)
    if n is None:
        lua_error("attempt to perform arithmetic on a nil value")
    return "/" + str(32 - n)  # type: ignore[operator]
