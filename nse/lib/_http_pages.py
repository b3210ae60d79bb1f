"""Page-level helpers of ``nse.lib.http`` (nselib's http.lua): dates, WWW-Authenticate
challenges, status strings, 404 detection, HTML forms, the per-host page registry.

Patterns given by scripts (``response_contains``) and nselib's own text cleaning
(``clean_404``) are Lua patterns, run by the runtime's Lua pattern engine so that matches
are Lua's to the byte.
"""

from __future__ import annotations

import time
from typing import Any

from nse.lib._util import debug as _debug
from nse.lib._util import results as _mv
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import tonumber, tostring
from nse.lua.ops import truth as _truth
from nse.lua.strlib import str_find, str_gmatch, str_gsub, str_match

__all__ = [
    "parse_date",
    "parse_www_authenticate",
    "get_status_string",
    "can_use_head",
    "clean_404",
    "identify_404",
    "page_exists",
    "response_contains",
    "save_path",
    "grab_forms",
    "parse_form",
    "tag_pattern",
]


# ----------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    )
}


def parse_date(s: Any = None, *_: Any) -> Any:
    """An HTTP date (RFC 1123, RFC 850 or asctime form; GMT only) as an os.time-style
    table {year, month, day, hour, min, sec, isdst=false}, else nil."""
    r = _mv(str_match(s, "^%w+, (%d+)[- ](%w+)[- ](%d+) (%d+):(%d+):(%d+) (%w+)$"))
    if r[0] is not None:
        day, month_name, year, hour, mn, sec, tz = r
    else:
        r = _mv(str_match(s, "%w+ (%w+)  ?(%d+) (%d+):(%d+):(%d+) (%d+)"))
        if r[0] is None:
            _debug(1, 'http.parse_date: can\'t parse date "%s": unknown format.', s)
            return None
        month_name, day, hour, mn, sec, year = r
        tz = "GMT"
    month = _MONTHS.get(month_name)
    if month is None:
        _debug(1, 'http.parse_date: unknown month name "%s".', month_name)
        return None
    if tz != "GMT":
        _debug(1, 'http.parse_date: don\'t know time zone "%s", only "GMT".', tz)
        return None
    y = tonumber(year)
    if y < 100:
        y += 2000 if y < 70 else 1900
    return LuaTable.from_dict(
        {
            "year": y,
            "month": month,
            "day": tonumber(day),
            "hour": tonumber(hour),
            "min": tonumber(mn),
            "sec": tonumber(sec),
            "isdst": False,
        }
    )


# ----------------------------------------------------------------------- WWW-Authenticate

_AUTH_TOKEN = '^([^\x00\x01-\x1f()<>@,;:\\"/?={} \t%[%]\x7f-\xff]+)'


def _skip_space(s: str, pos: int) -> int:
    return int(_mv(str_find(s, "^[ \t]*", pos))[1]) + 1


def _read_token(s: str, pos: int) -> tuple[Any, Any]:
    pos = _skip_space(s, pos)
    r = _mv(str_find(s, _AUTH_TOKEN, pos))
    if r[0] is None:
        return None, None
    return r[1] + 1, r[2]


def _read_quoted(s: str, pos: int) -> tuple[Any, Any]:
    if s[pos - 1 : pos] != '"':
        return None, None
    pos = _skip_space(s, pos + 1)
    chars = []
    n = len(s)
    while pos <= n and s[pos - 1] != '"':
        c = s[pos - 1]
        if c == "\\":
            if pos < n:
                pos += 1
                c = s[pos - 1]
            else:
                return None, None
        chars.append(c)
        pos += 1
    if pos > n or s[pos - 1] != '"':
        return None, None
    return pos + 1, "".join(chars)


def _read_token_or_quoted(s: str, pos: int) -> tuple[Any, Any]:
    pos = _skip_space(s, pos)
    if s[pos - 1 : pos] == '"':
        return _read_quoted(s, pos)
    return _read_token(s, pos)


def _read_challenge(s: str, pos: int) -> tuple[Any, Any]:
    pos, scheme = _read_token(s, pos)
    if scheme is None:
        return None, None
    params: Any = LuaTable()
    pos = _skip_space(s, pos)
    while pos < len(s):
        tmp, name = _read_token(s, pos)
        if name is None:
            pos = _skip_space(s, pos + 1)
            return pos, LuaTable.from_dict({"scheme": scheme})
        tmp = _skip_space(s, tmp)
        if s[tmp - 1 : tmp] != "=":
            break
        pos, val = _read_token_or_quoted(s, tmp + 1)
        if val is None:
            return None, None
        if params[name] is not None:
            return None, None
        params[name] = val
        pos = _skip_space(s, pos)
        if s[pos - 1 : pos] == ",":
            pos = _skip_space(s, pos + 1)
            if pos > len(s):
                return None, None
    return pos, LuaTable.from_dict({"scheme": scheme, "params": params})


def parse_www_authenticate(s: Any = None, *_: Any) -> Any:
    """The challenges of a WWW-Authenticate value: a list of {scheme=, params={...}},
    or nil when it does not parse."""
    challenges = LuaTable()
    pos = 1
    while pos <= len(s):
        pos, ch = _read_challenge(s, pos)
        if ch is None:
            return None
        challenges.append(ch)
    return challenges


# ----------------------------------------------------------------------- status, HEAD, 404


def get_status_string(data: Any = None, *_: Any) -> Any:
    """The reason part of the status line ("200 OK"), the status, or "<unknown status>"."""
    if data is None:
        return "<unknown status>"
    sl = data["status-line"]
    if sl is None:
        if data["status"] is not None:
            return data["status"]
        return "<unknown status>"
    i = sl.find(" ")
    if i < 0:
        return sl
    return str_gsub(sl[i + 1 :], "\r?\n", "")


def _status_text(data: Any) -> Any:
    """get_status_string's string for a debug message: the function returns gsub's two
    results (as nselib's does), which a Lua format argument list cuts to the first."""
    r = get_status_string(data)
    return tostring(r[0] if type(r) is tuple else r)


def can_use_head(
    host: Any = None, port: Any = None, result_404: Any = None, path: Any = None, *_: Any
) -> Any:
    """Whether HEAD works here (200, empty body, no 302): true, response | false."""
    from nse.lib import http

    if result_404 == 200:
        return False
    if path is None:
        path = "/"
    data = http.head(host, port, path)
    if data is not None:
        status, header = data["status"], data["header"]
        if status == 302 and _truth(header) and _truth(header["location"]):
            _debug(1, "HTTP: Warning: Host returned 302 and not 200 when performing HEAD.")
            return False
        if status == 200 and _truth(header):
            if len(data["body"]) > 0:
                _debug(1, "HTTP: Warning: Host returned data when performing HEAD.")
                return False
            _debug(1, "HTTP: Host supports HEAD.")
            return True, data
        _debug(
            1,
            "HTTP: Didn't receive expected response to HEAD request (got %s).",
            _status_text(data),
        )
        return False
    _debug(1, "HTTP: HEAD request completely failed.")
    return False


_CLEAN_404 = (
    "%d?%d:%d%d:%d%d",
    "%d%d:%d%d",
    "AM",
    "am",
    "PM",
    "pm",
    "%d%d%d%d%d%d%d%d",
    "%d%d%d%d%-%d%d%-%d%d",
    "%d%d%d%d/%d%d/%d%d",
    "%d%d%-%d%d%-%d%d%d%d",
    "%d%d%/%d%d%/%d%d%d%d",
    "%d%d%d%d%d%d",
    "%d%d%-%d%d%-%d%d",
    "%d%d%/%d%d%/%d%d",
    "/[^ ]+",
    "[a-zA-Z]:\\[^ ]+",
)


def clean_404(body: Any = None, *_: Any) -> Any:
    """The body with times, dates and paths removed; its MD5 unless debugging (as nselib
    with OpenSSL)."""
    from nse.lib import nmap, openssl

    if not _truth(body):
        return ()
    for pat in _CLEAN_404:
        body = _mv(str_gsub(body, pat, ""))[0]
    if nmap.debugging() == 0:
        return openssl.md5(body)
    return body


def _cache_404(host: Any, port: Any, response: list[Any]) -> tuple[Any, ...]:
    if isinstance(host, LuaTable) and _truth(host["registry"]):
        reg = host["registry"]
        if not _truth(reg["http_404"]):
            reg["http_404"] = LuaTable()
        portnum = port["number"] if isinstance(port, LuaTable) else port
        reg["http_404"][portnum] = LuaTable.from_list(response)
    return tuple(response)


_BAD_RESPONSES = (301, 302, 400, 401, 403, 499, 501, 503)


def identify_404(host: Any = None, port: Any = None, *_: Any) -> Any:
    """How the server answers for missing pages: (true, 404) | (true, code) |
    (true, 200, cleaned body) | (false, reason); cached in host.registry.http_404."""
    from nse.lib import http

    if (
        isinstance(host, LuaTable)
        and _truth(host["registry"])
        and _truth(host["registry"]["http_404"])
    ):
        portnum = port["number"] if isinstance(port, LuaTable) else port
        cached = host["registry"]["http_404"][portnum]
        if _truth(cached):
            return tuple(cached.to_list())
    now = int(time.time())
    data = http.get(host, port, f"/nmaplowercheck{now}", LuaTable.from_dict({"redirect_ok": False}))
    if data is None:
        _debug(1, "HTTP: Failed while testing for 404 status code")
        return False, "Failed while testing for 404 error message"
    status = data["status"]
    if status == 404:
        _debug(1, "HTTP: Host returns proper 404 result.")
        return _cache_404(host, port, [True, 404])
    if status == 200:
        _debug(1, "HTTP: Host returns 200 instead of 404.")
        if _truth(data["body"]):
            data2 = http.get(host, port, f"/NmapUpperCheck{now}")
            data3 = http.get(host, port, f"/Nmap/folder/check{now}")
            if data2 is None or data3 is None:
                _debug(1, "HTTP: Failed while testing for extra 404 error messages")
                return False, "Failed while testing for extra 404 error messages"
            for d, which in ((data2, "second"), (data3, "third")):
                if d["status"] != 200:
                    if not isinstance(d["status"], int | float):
                        d["status"] = -1
                    msg = f"HTTP 404 status changed for {which} request (became {d['status']})."
                    _debug(1, "HTTP: %s", msg)
                    return _cache_404(host, port, [False, msg])
            c1, c2, c3 = (_mv(clean_404(d["body"]))[0] for d in (data, data2, data3))
            unknown = (
                "Two known 404 pages returned valid and different pages; unable to "
                "identify valid response"
            )
            if c1 != c2:
                _debug(1, "HTTP: %s.", unknown)
                return _cache_404(host, port, [False, unknown + "."])
            if c1 != c3:
                _debug(1, "HTTP: %s (happened when checking a folder).", unknown)
                return _cache_404(
                    host, port, [False, unknown + " (happened when checking a folder)."]
                )
            _cache_404(host, port, [True, 200, c1])
            return True, 200, c1
        _debug(1, "HTTP: The 200 response didn't contain a body.")
        return _cache_404(host, port, [True, 200])
    if status in _BAD_RESPONSES:
        _debug(
            1,
            "HTTP: Host returns %s instead of 404 File Not Found.",
            _status_text(data),
        )
        return _cache_404(host, port, [True, status])
    _debug(1, "Unexpected response returned for 404 check: %s", _status_text(data))
    return _cache_404(host, port, [True, status])


def page_exists(
    data: Any = None,
    result_404: Any = None,
    known_404: Any = None,
    page: Any = None,
    displayall: Any = None,
    *_: Any,
) -> bool:
    """Whether a response means the page exists, given identify_404's results."""
    if not (_truth(data) and _truth(data["status"])):
        _debug(1, "HTTP: HTTP request failed (is the host still up?)")
        return False
    status = data["status"]
    if status == 200:
        if result_404 == 200:
            if len(data["body"]) == 0:
                _debug(1, "HTTP: Page returned a totally empty body; page likely doesn't exist")
                return False
            if _mv(clean_404(data["body"]))[0] != known_404:
                _debug(
                    1,
                    "HTTP: Page returned a body that doesn't match known 404 body, "
                    "therefore it exists (%s)",
                    tostring(page),
                )
                return True
            return False
        _debug(
            1,
            "HTTP: Page was '%s', it exists! (%s)",
            _status_text(data),
            tostring(page),
        )
        return True
    if status != 404 and status != result_404:
        _debug(
            1,
            "HTTP: Page didn't match the 404 response (%s) (%s)",
            _status_text(data),
            tostring(page),
        )
        return status == 401 or _truth(displayall)
    return False


def response_contains(
    response: Any = None, pattern: Any = None, case_sensitive: Any = None, *_: Any
) -> Any:
    """Whether a Lua pattern matches the status line, a raw header line or the body:
    true, {captures} | false.  Case-insensitive unless ``case_sensitive``."""
    if pattern == "" or pattern is None:
        return True

    def case(p: Any) -> Any:
        p = p if _truth(p) else ""
        return p if _truth(case_sensitive) else p.lower()

    pattern = case(pattern)
    texts = [response["status-line"]]
    raw = response["rawheader"]
    if not isinstance(raw, LuaTable):
        raise LuaError("bad argument #1 to 'for iterator' (table expected, got nil)")
    texts += [h for _k, h in raw.items()]
    texts.append(response["body"])
    for text in texts:
        m = _mv(str_match(case(text), pattern))
        if m and m[0] is not None:
            return True, LuaTable.from_list(m)
    return False


# ----------------------------------------------------------------------- forms


def tag_pattern(tag: Any = None, endtag: Any = None, *_: Any) -> str:
    """A Lua pattern for an opening (or closing) HTML tag, case-insensitive."""
    from nse.lib import stringaux

    if _truth(endtag):
        return "</%s*" + stringaux.ipattern(tag) + "%f[%s>].->"
    return "<%s*" + stringaux.ipattern(tag) + "%f[%s/>].->"


def grab_forms(body: Any = None, *_: Any) -> LuaTable:
    """The text of every <form ...> ... up to its </form>."""
    forms = LuaTable()
    if not _truth(body):
        return forms
    start_p, end_p = tag_pattern("form"), tag_pattern("form", True)
    opening = _mv(str_find(body, start_p))[0]
    while opening is not None:
        closing = _mv(str_find(body, end_p, opening + 1))[0]
        if closing is None:
            break
        forms.append(body[opening - 1 : closing - 1])
        if closing + 1 <= len(body):
            opening = _mv(str_find(body, start_p, closing + 1))[0]
        else:
            break
    return forms


def _unescape(s: Any) -> Any:
    # slaxml.parser.unescape: the five XML entities and numeric references (to UTF-8)
    from nse.lib import unicode

    def swap(orig: str, n: str, name: str, *_: Any) -> Any:
        ent = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}.get(name)
        if ent is not None:
            return ent
        if n == "#":
            return unicode.utf8_enc(tonumber("0" + name))
        return orig

    return _mv(str_gsub(s, "(&(#?)([%d%a]+);)", swap))[0]


def _get_attr(html: str, name: str) -> Any:
    lhtml, lname = html.lower(), name.lower()
    r = _mv(str_find(lhtml, "%s" + lname + "%s*=%s*[^%s]"))
    if r[0] is None:
        m = _mv(str_match(lhtml, "[^%s=]%s+" + lname + "[%s/>]"))[0]
        return "" if m is not None else None
    pos = r[1]
    m = _mv(str_match(html, "^(['\"])(.-)%1", pos))
    value = m[1] if m[0] is not None else None
    if value is None:
        value = _mv(str_match(html, "^[^%s<>='\"`]+", pos))[0]
    if value is None:
        raise LuaError("bad argument #1 to 'gsub' (string expected, got nil)")
    return _unescape(value)


def parse_form(form: Any = None, *_: Any) -> LuaTable:
    """A form's action, method, id and fields ({name, type, value} of inputs; textareas)."""
    parsed = LuaTable()
    fields = LuaTable()
    action = _get_attr(form, "action")
    if action is not None:
        parsed["action"] = action
    method = _get_attr(form, "method")
    if method is not None:
        parsed["method"] = method.lower()
    fid = _get_attr(form, "id")
    if fid is not None:
        parsed["id"] = fid.lower()
    it = str_gmatch(form, tag_pattern("input"))
    while True:
        f = _mv(it())[0]
        if f is None:
            break
        itype, iname, ivalue = _get_attr(f, "type"), _get_attr(f, "name"), _get_attr(f, "value")
        if iname is not None:
            fld = LuaTable.from_dict({"name": iname})
            if itype is not None:
                fld["type"] = itype.lower()
            if ivalue is not None:
                fld["value"] = ivalue
            fields.append(fld)
    it = str_gmatch(form, tag_pattern("textarea"))
    while True:
        f = _mv(it())[0]
        if f is None:
            break
        iname = _get_attr(f, "name")
        if iname is not None:
            fields.append(LuaTable.from_dict({"name": iname, "type": "textarea"}))
    parsed["fields"] = fields
    return parsed


# ----------------------------------------------------------------------- page registry


def save_path(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    status: Any = None,
    links_to: Any = None,
    linked_from: Any = None,
    contenttype: Any = None,
    *_: Any,
) -> tuple[()]:
    """Record a page under registry[host].www[port] (all_pages, status_codes,
    directories/files, extensions, cgi..., links_to, content-type), as nselib."""
    from nse.lib import stdnse, stringaux, url

    hostname = stdnse.get_hostname(host)
    if isinstance(port, LuaTable):
        port = port["number"]
    p = url.parse(path)
    p["raw_querystring"] = p["query"]
    if _truth(p["fragment"]):
        p["raw_querystring"] = (p["raw_querystring"] or "") + "#" + p["fragment"]
    if _truth(p["raw_querystring"]):
        p["path_query"] = tostring(p["path"]) + "?" + p["raw_querystring"]
    else:
        p["path_query"] = p["path"]
    if _truth(p["raw_querystring"]):
        qs = LuaTable()
        for _k, v in stringaux.strsplit("&", p["raw_querystring"]).items():
            kv = stringaux.strsplit("=", v)
            if kv[1] is not None:
                qs[kv[1]] = kv[2]
        p["querystring"] = qs
    h = p["host"] if _truth(p["host"]) else hostname
    pt = p["port"] if _truth(p["port"]) else port

    def add(keys: list[Any], value: Any) -> None:
        stdnse.registry_add_array(LuaTable.from_list([h, "www", pt, *keys]), value)

    add(["all_pages"], p["path"])
    add(["all_pages_full_query"], p["path_query"])
    if _truth(status):
        add(["status_codes", status], p["path"])
    add(["directories" if _truth(p["is_folder"]) else "files"], p["path"])
    if _truth(p["extension"]):
        add(["extensions", p["extension"]], p["path"])
    if _truth(p["querystring"]):
        add(["cgi"], p["path"])
        add(["cgi_full_query"], p["path_query"])
        add(["cgi_querystring", p["path"]], p["raw_querystring"])
        for _k in p["querystring"].keys():
            add(["cgi_args", p["path"]], p["querystring"])
    for lst, outgoing in ((links_to, True), (linked_from, False)):
        if _truth(lst):
            if isinstance(lst, str):
                lst = LuaTable.from_list([lst])
            for _k, v in lst.items():
                if outgoing:
                    add(["links_to", p["path_query"]], v)
                else:
                    add(["links_to", v], p["path_query"])
    if _truth(contenttype):
        add(["content-type", contenttype], p["path_query"])
    return ()
