"""``require "url"``: URI parsing, building and resolution as nmap's url.lua (LuaSocket's).

Each step reproduces the Lua pattern nselib applies (``string.gsub`` with ``^`` anchors,
first-match semantics, frontier patterns), so odd inputs come out as in nmap.  Two nmap
defects are reproduced on purpose, since scripts observe them:

* ``build``/``build_path`` re-escape path segments through a table whose allowed
  punctuation maps to the number 1 and whose ``__index`` is called with the table as
  argument: a segment character among ``-_.!~*'()`` is kept only when it is one of
  ``_ . ~ -`` (the pattern skips those); ``! * ' ( ) : @ & = + $ ,`` become ``"1"``; any other
  character raises ``bad argument #1 to 'byte' (string expected, got table)``.
* ``absolute`` substitutes the relative path into a ``gsub`` *replacement string*, so a
  ``%`` in it is interpreted (``%2`` -> ``invalid capture index %2``).

``ascii_host`` is nselib's IDNA ToASCII: UTS #46 transitional mapping from nmap's own
table (``nselib/data/idnaMappings.lua``, read from the nmap data directory at run time),
nselib's hyphen checks (labels with ``-`` at positions 1, 3, 4 or last give nil) and
punycode.  Without an nmap data directory, Python's IDNA 2003 nameprep stands in (same
results for common names such as ``münchen``, ``faß`` -> ``fass``).
"""

from __future__ import annotations

import re
from typing import Any

from nse.lib._util import LuaTable, check_str, lua_error, lua_pairs, lua_tostring, typename
from nse.lua.ops import truth as _truth

__all__ = [
    "_VERSION",
    "escape",
    "unescape",
    "parse",
    "build",
    "absolute",
    "parse_path",
    "build_path",
    "parse_query",
    "build_query",
    "get_default_port",
    "get_default_scheme",
    "get_default_scheme_schemes",
]

_VERSION = "URL 1.0"

_UNRESERVED = re.compile(r"[^A-Za-z0-9_.~-]")
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
_SEGMENT_SET = frozenset("-_.!~*'():@&=+$,")


def _str(v: Any, fname: str = "gsub", n: int = 1) -> str:
    return check_str(v, n, fname)


def escape(s: Any = None, *_: Any) -> str:
    """Percent-encode every byte outside ``[A-Za-z0-9_.~-]`` (``%XX`` uppercase)."""
    s = _str(s)
    return _UNRESERVED.sub(lambda m: "%%%02X" % ord(m.group()), s)


def unescape(s: Any = None, *_: Any) -> str:
    """Decode every ``%XX`` escape."""
    s = _str(s)
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), s)


def _protect_segment(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        c = m.group()
        if c in _SEGMENT_SET:
            return "1"  # nselib's set maps allowed characters to the number 1
        return lua_error("bad argument #1 to 'byte' (string expected, got table)")

    return _UNRESERVED.sub(repl, s)


def _lua_repl(repl: str, whole: str) -> str:
    """Expand a ``string.gsub`` replacement string for a pattern without captures
    (Lua 5.4 manual §6.4.1 string.gsub: ``%0``/``%1`` the match, ``%%`` a percent)."""
    out: list[str] = []
    i = 0
    while i < len(repl):
        c = repl[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        i += 1
        d = repl[i] if i < len(repl) else "\0"
        if d == "%":
            out.append("%")
        elif d in "01":
            out.append(whole)
        elif d in "23456789":
            lua_error(f"invalid capture index %{int(d)}")
        else:
            lua_error("invalid use of '%' in replacement string")
        i += 1
    return "".join(out)


def _fixdots(s: str) -> str:
    # s:gsub("%f[^/\0]%.$", "./"):gsub("%f[^/\0]%.%.$", "../"): a last segment "." or ".."
    # (a frontier: the previous character is "/" or "\0", or the start of the string)
    if s.endswith(".") and (len(s) == 1 or s[-2] in "/\0"):
        s = s + "/"
    elif s.endswith("..") and (len(s) == 2 or s[-3] in "/\0"):
        s = s + "/"
    return s


def _absolute_path(base_path: str, relative_path: str) -> str:
    path = relative_path
    if path[:1] != "/":
        base = _fixdots(base_path)
        cut = base.rfind("/") + 1
        path = base[:cut] + _lua_repl(path, base[cut:])
    segs: list[str] = []
    for s in _fixdots(path).split("/"):
        if s == ".":
            continue
        if s == "..":
            if len(segs) > 1 or (len(segs) == 1 and segs[-1] != ""):
                segs.pop()
        else:
            segs.append(s)
    return "/".join(segs)


_EXTENSION = re.compile(r"\.([^/.;]+)(?<!\x00)(?=[;\x00]|\Z)[^/]*\Z")


_IDNA_CACHE: Any = None


def _idna_data() -> Any:
    """nmap's UTS #46 table (nselib/data/idnaMappings.lua), read from the nmap data
    directory at run time: ``(explicit entries, [(hi, lo, status)] ranges)``, or False."""
    global _IDNA_CACHE
    if _IDNA_CACHE is None:
        from nse.lib import datadir

        path = datadir.fetchfile("nselib/data/idnaMappings.lua")
        _IDNA_CACHE = False
        if path is not None:
            with open(path, "rb") as f:
                text = f.read().decode("latin-1")
            entries: dict[int, Any] = {}
            for m in re.finditer(r"^\s*\[0x([0-9A-Fa-f]+)\]\s*=\s*(.+?),\s*(?:--.*)?$", text, re.M):
                cp, val = int(m.group(1), 16), m.group(2).strip()
                if val.startswith("0x"):
                    entries[cp] = int(val, 16)
                    continue
                st = re.search(r"status\s*=\s*[\"'](\w+)[\"']", val)
                nums = [int(x, 16) for x in re.findall(r"0x([0-9A-Fa-f]+)", val)]
                if st and st.group(1) == "deviation":
                    entries[cp] = ("deviation", nums)
                elif st:
                    entries[cp] = (st.group(1), None)
                else:
                    entries[cp] = (None, nums)  # a multi-code-point mapping (unused by nmap)
            ranges = [
                (int(m.group(1), 16), int(m.group(2), 16), m.group(3))
                for m in re.finditer(
                    r"x <= 0x([0-9A-Fa-f]+) then\s*(?:--[^\n]*\n\s*)*if x >= 0x([0-9A-Fa-f]+) then"
                    r"\s*return \{status=[\"'](\w+)[\"']\}",
                    text,
                )
            ]
            _IDNA_CACHE = (entries, ranges)
    return _IDNA_CACHE


def _idna_lookup(data: Any, cp: int) -> Any:
    entries, ranges = data
    if cp in entries:
        return entries[cp]
    import bisect

    k = bisect.bisect_left([r[0] for r in ranges], cp)
    if k < len(ranges) and cp >= ranges[k][1]:
        return (ranges[k][2], None)
    return None


def _ascii_host(host: str) -> str | None:
    """``idna.toASCII(unicode.decode(host, unicode.utf8_dec))`` as nselib computes it
    (transitional processing, hyphen checks, STD3 rules not enforced) when nmap's table is
    available; otherwise Python's IDNA 2003 nameprep, which agrees on common names."""
    data = _idna_data()
    if not data:
        return _ascii_host_fallback(host)
    from nse.lib import unicode

    cps = [v for _k, v in unicode.decode(host, unicode.utf8_dec).items()]
    mapped: list[int] = []
    for cp in cps:
        lk = _idna_lookup(data, cp)
        if isinstance(lk, int):
            mapped.append(lk)
        elif lk is None:
            lua_error("attempt to index a nil value (local 'lookup')")
        elif lk[0] == "deviation":
            mapped.extend(lk[1])
        elif lk[0] == "ignored":
            pass
        else:
            mapped.append(cp)
    labels: list[list[int]] = [[]]
    for cp in mapped:
        if cp == 0x2E:
            labels.append([])
        else:
            labels[-1].append(cp)
    out = []
    for lab in labels:
        if lab[2:3] == [0x2D] or lab[3:4] == [0x2D] or lab[:1] == [0x2D] or lab[-1:] == [0x2D]:
            return None
        if all(0 <= c <= 127 for c in lab):
            out.append("".join(map(chr, lab)))
        else:
            out.append("xn--" + "".join(map(chr, lab)).encode("punycode").decode("ascii"))
    return ".".join(out)


def _ascii_host_fallback(host: str) -> str | None:
    try:
        text = host.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        text = host  # treat the bytes as latin-1 code points
    text = "".join(c.lower() if c.isascii() else c for c in text)
    out = []
    for label in text.split("."):
        if not label.isascii():
            import encodings.idna

            try:
                label = encodings.idna.nameprep(label)
            except UnicodeError:
                return None
        if label[2:3] == "-" or label[3:4] == "-" or label[:1] == "-" or label[-1:] == "-":
            return None
        if label.isascii():
            out.append(label)
        else:
            try:
                out.append("xn--" + label.encode("punycode").decode("ascii"))
            except UnicodeError:
                return None
    return ".".join(out)


def parse(url: Any = None, default: Any = None, *_: Any) -> LuaTable:
    """Split a URL into a table: scheme, authority, userinfo, user, password, host,
    ascii_host, port, path, params, query, fragment, is_folder, extension."""
    parsed = LuaTable()
    if default is not None and default is not False:
        if not isinstance(default, LuaTable):
            lua_error(
                f"bad argument #1 to 'for iterator' (table expected, got {typename(default)})"
            )
        for k, v in default.items():
            parsed[k] = v
    s = _str(url)
    s = _ESCAPED.sub(lambda m: escape(unescape(m.group())), s)
    i = s.find("#")
    if i >= 0:
        parsed["fragment"] = s[i + 1 :]
        s = s[:i]
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9.+-]*:", s)
    if m:
        parsed["scheme"] = m.group()[:-1].lower()
        s = s[m.end() :]
    if s.startswith("//"):
        j = s.find("/", 2)
        j = len(s) if j < 0 else j
        parsed["authority"] = s[2:j]
        s = s[j:]
    i = s.find("?")
    if i >= 0:
        parsed["query"] = s[i + 1 :]
        s = s[:i]
    i = s.find(";")
    if i >= 0:
        parsed["params"] = s[i + 1 :]
        s = s[:i]
    parsed["path"] = s
    if s.endswith("/"):
        parsed["is_folder"] = True
    else:
        parsed["is_folder"] = False
        m = _EXTENSION.search(s)
        parsed["extension"] = m.group(1) if m else None
    authority = parsed["authority"]
    if authority is None:
        return parsed
    authority = lua_tostring(authority)
    i = authority.find("@")
    if i >= 0:
        parsed["userinfo"] = authority[:i]
        authority = authority[i + 1 :]
    m = re.search(r":([0-9]+)\Z", authority)
    if m:
        from nse.lua.numfmt import str2number

        parsed["port"] = str2number(m.group(1))
        authority = authority[: m.start()]
    if authority != "":
        parsed["host"] = authority
    if parsed["host"] is not None:
        parsed["ascii_host"] = _ascii_host(parsed["host"])
    userinfo = parsed["userinfo"]
    if userinfo is None:
        return parsed
    i = userinfo.rfind(":")
    if i >= 0:
        parsed["password"] = userinfo[i + 1 :]
        userinfo = userinfo[:i]
    parsed["user"] = userinfo
    return parsed


def _cat(a: Any, b: Any) -> str:
    # ".." of two values: strings and numbers only (Lua 5.4 manual §3.4.6)
    for v in (a, b):
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            lua_error(f"attempt to concatenate a {typename(v)} value")
    return lua_tostring(a) + lua_tostring(b)


def build(parsed: Any = None, *_: Any) -> str:
    """Rebuild a URL from a table as :func:`parse` makes (path segments re-escaped)."""
    if not isinstance(parsed, LuaTable):
        lua_error(f"attempt to index a {typename(parsed)} value (local 'parsed')")
    p = parsed["path"]
    url = build_path(parse_path(p if _truth(p) else ""))
    if _truth(parsed["params"]):
        url = _cat(url + ";", parsed["params"])
    if _truth(parsed["query"]):
        url = _cat(url + "?", parsed["query"])
    authority = parsed["authority"]
    if _truth(parsed["host"]):
        authority = parsed["host"]
        if _truth(parsed["port"]):
            authority = _cat(_cat(authority, ":"), parsed["port"])
        userinfo = parsed["userinfo"]
        if _truth(parsed["user"]):
            userinfo = parsed["user"]
            if _truth(parsed["password"]):
                userinfo = _cat(_cat(userinfo, ":"), parsed["password"])
        if _truth(userinfo):
            authority = _cat(_cat(userinfo, "@"), authority)
    if _truth(authority):
        url = _cat(_cat("//", authority), url)
    if _truth(parsed["scheme"]):
        url = _cat(_cat(parsed["scheme"], ":"), url)
    if _truth(parsed["fragment"]):
        url = _cat(url + "#", parsed["fragment"])
    return url


def absolute(base_url: Any = None, relative_url: Any = None, *_: Any) -> str:
    """Resolve ``relative_url`` against ``base_url`` (a URL string or a parsed table)."""
    if isinstance(base_url, LuaTable):
        base_parsed = base_url
        base_url = build(base_parsed)
    else:
        base_parsed = parse(base_url)
    rel = parse(relative_url)
    if _truth(rel["scheme"]):
        return relative_url  # type: ignore[no-any-return]
    rel["scheme"] = base_parsed["scheme"]
    if not _truth(rel["authority"]):
        rel["authority"] = base_parsed["authority"]
        # parse() always sets a path (possibly ""), so nselib's "no path" branch is dead
        bp = base_parsed["path"]
        rel["path"] = _absolute_path(bp if _truth(bp) else "", rel["path"])
    return build(rel)


def parse_path(path: Any = None, *_: Any) -> LuaTable:
    """Split a path into unescaped segments; ``is_absolute``/``is_directory`` are 1."""
    s = _str(path if _truth(path) else "")
    parsed = LuaTable.from_list([unescape(seg) for seg in s.split("/") if seg])
    if s[:1] == "/":
        parsed["is_absolute"] = 1
    if s[-1:] == "/":
        parsed["is_directory"] = 1
    return parsed


def build_path(parsed: Any = None, unsafe: Any = None, *_: Any) -> str:
    """Join segments of a :func:`parse_path` table (escaped unless ``unsafe``)."""
    if not isinstance(parsed, LuaTable):
        lua_error(f"attempt to index a {typename(parsed)} value (local 'parsed')")
    out: list[str] = []
    if _truth(parsed["is_absolute"]):
        out.append("/")
    n = len(parsed)

    def seg(i: int) -> str:
        v = parsed[i]
        if _truth(unsafe):
            return _cat(v, "")
        return _protect_segment(_str(v))

    for i in range(1, n):
        out.append(seg(i) + "/")
    if n > 0:
        out.append(seg(n))
        if _truth(parsed["is_directory"]):
            out.append("/")
    return "".join(out)


_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def parse_query(query: Any = None, *_: Any) -> LuaTable:
    """Parse ``a=1&b=2`` (HTML entities ``&amp; &lt; &gt;`` decoded first)."""
    q = _str(query)
    q = re.sub(r"&([ampltg]+);", lambda m: _ENTITIES.get(m.group(1), m.group()), q)
    parsed = LuaTable()
    for part in q.split("&"):
        i = part.find("=")
        if i >= 0:
            parsed[unescape(part[:i])] = unescape(part[i + 1 :])
        else:
            parsed[unescape(part)] = ""
    return parsed


def build_query(query: Any = None, *_: Any) -> str:
    """Build ``k=v&...`` from a table, escaping keys and values (table order)."""
    return "&".join(escape(k) + "=" + escape(v) for k, v in lua_pairs(query))


_DEFAULT_PORTS = {"http": 80, "https": 443}
get_default_scheme_schemes = LuaTable.from_dict({80: "http", 443: "https"})


def get_default_port(scheme: Any = None, *_: Any) -> int | None:
    """80 for http, 443 for https (case-insensitive), else nil."""
    s = _str(scheme if _truth(scheme) else "", "lower")
    return _DEFAULT_PORTS.get(s.lower())


def get_default_scheme(port: Any = None, *_: Any) -> str | None:
    """``"http"``/``"https"`` for port 80/443 (a number or a port table), else nil."""
    if isinstance(port, int | float) and not isinstance(port, bool):
        number = port
    elif isinstance(port, LuaTable):
        number = port["number"]
    else:
        return lua_error(f"attempt to index a {typename(port)} value (local 'port')")
    return get_default_scheme_schemes[number]  # type: ignore[no-any-return]
