"""The ``http`` library: nselib's HTTP/1.1 client (http.lua, nmap 7.93), in Python.

Same functions, arguments and result tables as nselib.  A response is a table with
``status`` (number), ``status-line``, ``version``, ``header`` (lower-case names; repeated
fields joined with ", "), ``rawheader`` (the header lines), ``cookies`` (parsed Set-Cookie
values), ``rawbody``/``body`` (body before/after Content-Encoding), ``truncated`` (the body
hit ``max_body_size``), ``ssl`` (the connection used TLS), ``location`` (the Location
values of followed redirects, ``get``/``head`` only) and ``decoded``/``undecoded``.  A
failed request returns nselib's error table: ``status`` nil, ``status-line`` saying why,
``incomplete`` holding what was read.

Script arguments read (each time they matter, rather than once at load as nselib does, so
separate runs in one process see their own): ``http.useragent``, ``http.host``,
``http.max-body-size`` (default 2 MiB, negative for none), ``http.truncated-ok``,
``http.max-cache-size`` (default 1e6), ``http.pipeline``, ``http.max-pipeline``.

The cache: ``get`` and ``head`` are served from a per-run cache keyed on host name, port
and path (same method only).  Threads asking for a key being fetched wait for it (one
request goes out).  401, 206 and truncated responses are not cached; the oldest bodies are
dropped when the total passes ``http.max-cache-size``.

Wire parsing is in :mod:`nse.lib._http_wire`; the page helpers (404 detection, dates,
WWW-Authenticate, forms) in :mod:`nse.lib._http_pages`.

Authentication: ``auth = {username=, password=}`` (Basic), ``digest = true`` (computes
what sasl.DigestMD5 computes) and ``ntlm = true`` (the NTLMv1 / NTLM2 session responses
smbauth computes, sent on one keep-alive connection).  Difference from nselib: a Python
exception inside a request releases the cache lock instead of leaving it held until the
thread ends.
"""

from __future__ import annotations

import time
from typing import Any

from nse.lib import _http_wire as wire
from nse.lib._http_pages import (
    can_use_head,
    clean_404,
    get_status_string,
    grab_forms,
    identify_404,
    page_exists,
    parse_date,
    parse_form,
    parse_www_authenticate,
    response_contains,
    save_path,
    tag_pattern,
)
from nse.lib._util import debug as _debug
from nse.lib._util import results as _mv
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import call, tonumber, tostring
from nse.lua.ops import truth as _truth
from nse.lua.strlib import str_match

__all__ = [
    "USER_AGENT",
    "get",
    "head",
    "post",
    "put",
    "generic_request",
    "get_url",
    "redirect_ok",
    "parse_redirect",
    "pipeline_add",
    "pipeline_go",
    "pGet",
    "pHead",
    "addPipeline",
    "pipeline",
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

_DEFAULT_UA = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"
#: the User-Agent sent (``http.useragent`` replaces it at request time)
USER_AGENT = _DEFAULT_UA
MAX_REDIRECT_COUNT = 5
_MAX_BODY_SIZE = 2 * 1024 * 1024


# ----------------------------------------------------------------------- small helpers


def _arg(name: Any, default: Any = None) -> Any:
    from nse.lib import stdnse

    return stdnse.script_arg(name, default)


def _user_agent() -> Any:
    return _arg("http.useragent", USER_AGENT)


def _max_body_size() -> Any:
    v = tonumber(_arg("http.max-body-size"))
    return v if v is not None else _MAX_BODY_SIZE


def _truncated_ok_default() -> bool:
    return tostring(_arg("http.truncated-ok", "false")).lower() != "false"


def _field(t: Any, k: str) -> Any:
    # indexing a string gives nil (its metatable's __index is the string library)
    return t[k] if isinstance(t, LuaTable) else None


def _table_augment(to: LuaTable, frm: LuaTable) -> None:
    # nselib's recursive merge: sub-tables merge, everything else replaces
    for k, v in list(frm.items()):
        if isinstance(to[k], LuaTable):
            if not isinstance(v, LuaTable):
                from nse.lua.errors import LuaError

                raise LuaError(
                    "bad argument #1 to 'for iterator' (table expected, got " + _typename(v) + ")"
                )
            _table_augment(to[k], v)
        else:
            to[k] = v


def _typename(v: Any) -> str:
    from nse.lua.ops import type_

    return type_(v)


def _tcopy(t: Any) -> Any:
    from nse.lib import tableaux

    return tableaux.tcopy(t)


# ----------------------------------------------------------------------- options


_DIGEST_REQUIRED = ("username", "realm", "nonce", "digest-uri", "response")
_COOKIE_STRING_FIELDS = ("name", "value", "path", "expires", "max-age")


def _validate_options(options: Any) -> bool:
    """nselib's validate_options: False (after a debug message) for a wrong type."""
    if options is None:
        return True
    if not isinstance(options, LuaTable):
        return True
    bad = False
    for key, value in options.items():
        t = _typename(value)
        if key == "timeout":
            if _typename(tonumber(value)) != "number":
                _debug(1, "http: options.timeout contains a non-numeric value")
                bad = True
        elif key == "header":
            if t != "table":
                _debug(1, "http: options.header should be a table")
                bad = True
        elif key == "content":
            if t not in ("string", "table"):
                _debug(1, "http: options.content should be a string or a table")
                bad = True
        elif key == "cookies":
            if t == "table":
                i = 1
                while value[i] is not None:
                    cookie = value[i]
                    for ck, cv in cookie.items():
                        if ck in _COOKIE_STRING_FIELDS:
                            if not isinstance(cv, str):
                                _debug(1, "http: options.cookies[i].%s should be a string", ck)
                                bad = True
                        elif ck not in ("httponly", "secure"):
                            _debug(1, "http: Unknown field in cookie table: %s", ck)
                    i += 1
            elif t != "string":
                _debug(1, "http: options.cookies should be a table or a string")
                bad = True
        elif key == "auth":
            if t == "table":
                if value["username"] is None or value["password"] is None:
                    _debug(
                        1,
                        "http: options.auth should contain both a 'username' and a 'password' key",
                    )
                    bad = True
            else:
                _debug(1, "http: options.auth should be a table")
                bad = True
        elif key == "digestauth":
            if t == "table":
                for k in _DIGEST_REQUIRED:
                    if not _truth(value[k]):
                        _debug(1, "http: options.digestauth missing key: %s", k)
                        bad = True
                        break
            else:
                bad = True
                _debug(1, "http: options.digestauth should be a table")
        elif key == "ntlmauth":
            _debug(1, "Proceeding with ntlm message")
        elif key in ("bypass_cache", "no_cache", "no_cache_body", "any_af", "truncated_ok"):
            if t != "boolean":
                _debug(1, "http: options.%s must be a boolean value", key)
                bad = True
        elif key == "redirect_ok":
            if t not in ("function", "boolean", "number"):
                _debug(1, "http: options.redirect_ok must be a function or boolean or number")
                bad = True
        elif key == "scheme":
            if t != "string":
                _debug(1, "http: options.scheme must be a string")
                bad = True
        elif key == "max_body_size":
            if t != "number":
                _debug(1, "http: options.max_body_size must be a number")
                bad = True
        else:
            _debug(1, "http: Unknown key in the options table: %s", key)
    return not bad


def _http_error(status_line: str, response: Any = None) -> LuaTable:
    _debug(2, "HTTP response error: %s", status_line)
    t = LuaTable.from_dict(
        {"status-line": status_line, "header": LuaTable(), "rawheader": LuaTable()}
    )
    t["incomplete"] = response
    return t


# ----------------------------------------------------------------------- requests


def _get_host_field(host: Any, port: Any, scheme: Any) -> Any:
    from nse.lib import shortport, stdnse, url

    hh = _arg("http.host")
    if _truth(hh):
        return hh
    if not _truth(host):
        return None
    if not _truth(port):
        return stdnse.get_hostname(host)
    if isinstance(port, str):
        port = tonumber(port)
        if port is None:
            from nse.lua.errors import LuaError

            raise LuaError("Invalid port: not a number or table")
    if isinstance(port, int | float) and not isinstance(port, bool):
        port = LuaTable.from_dict({"number": port, "protocol": "tcp"})
    number = port["number"]
    hostname = stdnse.get_hostname(host)
    if _truth(scheme):
        if number == url.get_default_port(scheme):
            return hostname
    else:
        scheme = url.get_default_scheme(port)
        if _truth(scheme):
            ssl_port = _truth(shortport.ssl(host, port))
            if (ssl_port and scheme == "https") or (not ssl_port and scheme == "http"):
                return hostname
    return tostring(hostname) + ":" + tostring(number)


def _build_cookies(cookies: Any, path: Any) -> str:
    if isinstance(cookies, str):
        return cookies
    out = []
    i = 1
    while isinstance(cookies, LuaTable) and cookies[i] is not None:
        ck = cookies[i]
        ckpath = ck["path"]
        if (
            path is None
            or ckpath is None
            or ckpath == path
            or (ckpath[-1:] == "/" and ckpath == path[: len(ckpath)])
            or ckpath + "/" == path[: len(ckpath) + 1]
        ):
            out.append(tostring(ck["name"]) + "=" + tostring(ck["value"]))
        i += 1
    return "; ".join(out)


def _build_request(host: Any, port: Any, method: str, path: Any, options: Any) -> Any:
    """The request bytes nselib sends (headers in insertion order; Connection: close)."""
    from nse.lib import base64, url

    if not _validate_options(options):
        return None
    options = options if isinstance(options, LuaTable) else LuaTable()
    header = LuaTable()
    header["Connection"] = "close"
    header["Host"] = _get_host_field(host, port, options["scheme"])
    header["User-Agent"] = _user_agent()
    mod = LuaTable.from_dict({"header": header})
    if _truth(options["cookies"]):
        c = _build_cookies(options["cookies"], path)
        if len(c) > 0:
            header["Cookie"] = c
    auth = options["auth"]
    if _truth(auth) and not (_truth(auth["digest"]) or _truth(auth["ntlm"])):
        header["Authorization"] = "Basic " + base64.enc(
            tostring(auth["username"]) + ":" + tostring(auth["password"])
        )
    da = options["digestauth"]
    if _truth(da):
        creds = []
        for k in (
            "username",
            "realm",
            "nonce",
            "digest-uri",
            "algorithm",
            "response",
            "qop",
            "nc",
            "cnonce",
        ):
            v = da[k]
            if _truth(v):
                if k in ("algorithm", "qop", "nc"):
                    creds.append(f"{k}={tostring(v)}")
                else:
                    creds.append(f'{"uri" if k == "digest-uri" else k}="{tostring(v)}"')
        header["Authorization"] = "Digest " + ", ".join(creds)
    if _truth(options["ntlmauth"]):
        header["Authorization"] = "NTLM " + base64.enc(options["ntlmauth"])
    body: Any = None
    content = options["content"]
    if isinstance(content, LuaTable):
        body = "&".join(url.escape(k) + "=" + url.escape(v) for k, v in content.items())
        header["Content-Type"] = "application/x-www-form-urlencoded"
    elif _truth(content):
        body = content
    elif method == "POST":
        body = ""
    if body is not None:
        header["Content-Length"] = len(body)
    _table_augment(mod, options)
    lines = [f"{method} {tostring(path)} HTTP/1.1"]
    for name, value in mod["header"].items():
        from nse.lua.ops import concat

        lines.append(concat(concat(name, ": "), value))
    return "\r\n".join(lines) + "\r\n\r\n" + (body or "")


def _do_connect(host: Any, port: Any, data: Any, options: LuaTable) -> tuple[Any, ...]:
    from nse.lib import comm

    scheme = options["scheme"]
    if scheme in ("https", "http"):
        opts = LuaTable.from_dict({"proto": "ssl" if scheme == "https" else "tcp"})
        opts["timeout"] = options["timeout"]
        opts["any_af"] = options["any_af"]
        r = _mv(comm.opencon(host, port, data, opts)) + (None, None)
        # opencon gives (socket, response, early): the third value is not the protocol
        return r[0], r[1], "ssl" if scheme == "https" else "tcp"
    opts = LuaTable()
    opts["timeout"] = options["timeout"]
    opts["any_af"] = options["any_af"]
    r = _mv(comm.tryssl(host, port, data, opts)) + (None, None, None)
    return r[0], r[1], r[2]


def _limits(options: Any) -> tuple[int | None, bool]:
    mbs = _field(options, "max_body_size")
    size = mbs if mbs is not None else _max_body_size()
    import math

    maxlen: int | None = math.floor(size)
    if maxlen is not None and maxlen < 0:
        maxlen = None
    tok = _field(options, "truncated_ok")
    return maxlen, (_truncated_ok_default() if tok is None else _truth(tok))


def _next_response(sock: Any, method: str, partial: Any, options: Any) -> tuple[Any, ...]:
    maxlen, tok = _limits(options)
    return wire.next_response(sock, method, partial, maxlen, tok)


def _read_final(sock: Any, method: str, partial: Any, options: Any, what: str) -> tuple[Any, ...]:
    """Responses until one that is not 1xx: (response, partial) or (None, error table)."""
    while True:
        r = _next_response(sock, method, partial, options) + (None, None, None)
        response, partial, incomplete = r[0], r[1], r[2]
        if response is None:
            return None, _http_error(what + tostring(partial), incomplete)
        if not (100 <= response["status"] <= 199):
            return response, partial


def _request(host: Any, port: Any, data: Any, options: Any) -> LuaTable:
    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    options = options if isinstance(options, LuaTable) else LuaTable()
    if isinstance(port, LuaTable):
        proto = port["protocol"]
        if _truth(proto) and proto != "tcp":
            _debug(
                1,
                "http.request() supports the TCP protocol only, your request to %s "
                "cannot be completed.",
                tostring(host),
            )
            return _http_error("Unsupported protocol.")
    method = _mv(str_match(data, "^(%S+)"))[0]
    sock, partial, opt = _do_connect(host, port, data, options)
    if not _truth(sock):
        _debug(1, "http.request socket error: %s", tostring(partial))
        return _http_error("Error creating socket.")
    try:
        response, partial = _read_final(
            sock, method, partial, options, "Error in next_response function; "
        )
    finally:
        sock.close()
    if response is None:
        return partial  # type: ignore[no-any-return]
    response["ssl"] = opt == "ssl"
    return response  # type: ignore[no-any-return]


def _digest_table(challenge: str, username: str, password: str, method: str, uri: str) -> LuaTable:
    """What sasl.DigestMD5:calcDigest() returns as its second result (RFC 2617 digest)."""
    import hashlib
    import os

    from nse.lua.strlib import str_find

    nvs: dict[str, str] = {}
    r = _mv(str_find(challenge, "^[Dd][Ii][Gg][Ee][Ss][Tt]%s+"))
    stop = r[1] if r[0] is not None else 0
    while True:
        r = _mv(str_find(challenge, "([^=]*)=%s*", stop + 1))
        if r[0] is None:
            break
        name, stop = r[2], r[1]
        if challenge[stop : stop + 1] == '"':
            r = _mv(str_find(challenge, '(.-)"', stop + 2))
        else:
            r = _mv(str_find(challenge, "([^,]*)", stop + 1))
        if r[0] is None:
            break
        stop, value = r[1], r[2]
        nvs[name.lower()] = value
        r = _mv(str_find(challenge, "%s*,%s*", stop + 1))
        if r[0] is None:
            break
        stop = r[1]

    def md5hex(s: str) -> str:
        return hashlib.md5(s.encode("latin-1")).hexdigest()

    realm = nvs.get("realm", "")
    nonce = nvs.get("nonce", "")
    cnonce = os.urandom(8).hex()
    nc = "%08d" % 1
    a1 = md5hex(
        hashlib.md5(f"{username}:{realm}:{password}".encode("latin-1")).digest().decode("latin-1")
        + ":"
        + nonce
        + ":"
        + cnonce
    )
    a2 = md5hex(f"{method}:{uri}")
    alg = nvs.get("algorithm")
    b1 = md5hex(f"{username}:{realm}:{password}") if alg is None or alg.upper() == "MD5" else a1
    if "qop" in nvs:
        resp = md5hex(f"{b1}:{nonce}:{nc}:{cnonce}:auth:{a2}")
    else:
        resp = md5hex(f"{b1}:{nonce}:{a2}")
    t = LuaTable.from_dict(
        {
            "username": username,
            "realm": realm,
            "nonce": nonce,
            "cnonce": cnonce,
            "nc": nc,
            "qop": "auth",
            "digest-uri": uri,
            "response": resp,
        }
    )
    t["algorithm"] = alg
    return t


def generic_request(
    host: Any = None,
    port: Any = None,
    method: Any = None,
    path: Any = None,
    options: Any = None,
    *_: Any,
) -> LuaTable:
    """One request with any method, no cache and no redirects: the response table."""
    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    auth = _field(options, "auth")
    if _truth(_field(auth, "ntlm")):
        return _ntlm_request(host, port, method, path, options)
    if _truth(_field(auth, "digest")):
        noauth = _tcopy(options)
        noauth["auth"] = None
        r = generic_request(host, port, method, path, noauth)
        h = r["header"]["www-authenticate"]
        if not (
            _truth(r["status"])
            and isinstance(h, str)
            and _mv(str_match(h.lower(), "digest.-realm"))[0] is not None
        ):
            _debug(
                1,
                "http: the target doesn't support digest auth or there was an error "
                "during request.",
            )
            return _http_error(
                "The target doesn't support digest auth or there was an error during request."
            )
        options["digestauth"] = _digest_table(
            h, tostring(auth["username"]), tostring(auth["password"]), method, path
        )
    return _request(host, port, _build_request(host, port, method, path, options), options)


# ----------------------------------------------------------------------- NTLM


def _ntlm_responses(password: str, challenge: str, extended: bool) -> tuple[str, str]:
    """smbauth.get_password_response(..., "ntlmv2_session" | "ntlm", challenge): the LM
    and NT response fields (MS-NLMP §3.3.1: DESL over the NT hash)."""
    from nse.lib import openssl, unicode

    # nselib gives up (empty responses) when the password has no LM hash (not CP437)
    for cp in unicode.decode(password.upper(), unicode.utf8_dec).to_list():
        if unicode.cp437_enc(cp) is None:
            return "", ""
    nt_hash = openssl.md4(unicode.utf8to16(password))

    def desl(data: str) -> str:
        key = nt_hash + "\0" * 5
        if data == "":
            data = "AAAAAAAA"
        return "".join(
            openssl.encrypt("DES", openssl.DES_string_to_key(key[i : i + 7]), None, data)
            for i in (0, 7, 14)
        )

    if extended:
        client_nonce = openssl.rand_bytes(8)
        lm = client_nonce + "\0" * 16
        return lm, desl(openssl.md5(challenge + client_nonce)[:8])
    nt = desl(challenge)
    return nt, nt


def _ntlm_request(host: Any, port: Any, method: Any, path: Any, options: LuaTable) -> Any:
    """nselib's NTLM exchange: a plain request for the challenge scheme, then NEGOTIATE
    (type 1) and AUTHENTICATE (type 3) on one keep-alive connection."""
    from nse.lib import base64, unicode
    from nse.lua.strpack import str_pack, str_unpack

    auth = options["auth"]
    custom = _tcopy(options)
    custom["auth"] = None
    custom["timeout"] = None
    response = generic_request(host, port, method, path, custom)
    challenge_hdr = response["header"]["www-authenticate"]
    custom["timeout"] = options["timeout"]
    custom["truncated_ok"] = False
    hdrs = options["header"] if isinstance(options["header"], LuaTable) else LuaTable()
    custom["header"] = hdrs
    hdrs["Connection"] = "Keep-Alive"  # the handshake needs one connection
    if (
        not isinstance(challenge_hdr, str)
        or not _truth(response["status"])
        or "ntlm" not in challenge_hdr.lower()
    ):
        _debug(1, "http: the target doesn't support NTLM or there was an error during request.")
        return _http_error("The target doesn't support NTLM or there was an error during request.")
    hostname = auth["hostname"] if _truth(auth["hostname"]) else "localhost"
    workstation = auth["workstation_name"] if _truth(auth["workstation_name"]) else "NMAP"
    username = auth["username"]
    # NEGOTIATE_MESSAGE (MS-NLMP §2.2.1.1) with nselib's flags and OS version 5.1.2600
    type1 = (
        "NTLMSSP\0\x01\0\0\0"
        + str_pack("<I4", 0xA208B207)
        + str_pack(
            "<I2I2I4 I2I2I4",
            len(workstation), len(workstation), 40 + len(hostname),
            len(hostname), len(hostname), 40,
        )
        + str_pack("BB<I2", 5, 1, 2600)
        + "\0\0\0\x0f"
        + hostname
        + workstation
    )  # fmt: skip
    custom["ntlmauth"] = type1
    if isinstance(port, LuaTable) and _truth(port["protocol"]) and port["protocol"] != "tcp":
        _debug(
            1,
            "NTLM authentication supports the TCP protocol only, your request to %s "
            "cannot be completed.",
            tostring(host),
        )
        return _http_error("Unsupported protocol.")
    sock, partial, opt = _do_connect(
        host, port, _build_request(host, port, method, path, custom), options
    )
    if not _truth(sock):
        return _http_error("Could not create socket to send type 1 message.")
    try:
        response, partial = _read_final(
            sock,
            method,
            partial,
            custom,
            "There was error in receiving response of type 1 message; ",
        )
        if response is None:
            return partial
        hdr = response["header"]["www-authenticate"]
        if not isinstance(hdr, str) or " " not in hdr:
            raise LuaError("attempt to perform arithmetic on a nil value")
        blob = base64.dec(hdr[hdr.index(" ") + 1 :])
        # CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2): signature, type, target name, flags, challenge
        r = str_unpack("<c8 I4 I2I2I4 I4 c8", blob)
        mtype, flags, challenge = r[1], r[5], r[6]
        if mtype != 0x02:
            _debug(1, "Expected type 2 message as response.")
            return ()
        is_unicode = flags & 0x00000001 == 0x00000001
        is_extended = flags & 0x00080000 == 0x00080000
        type3_flags = 0xA2888206
        lanman, ntlm = _ntlm_responses(tostring(auth["password"]), challenge, is_extended)
        if not is_extended:
            type3_flags -= 0x00080000
        if is_unicode:
            username = unicode.utf8to16(username)
            hostname = unicode.utf8to16(hostname)
            type3_flags -= 0x00000001
        base = 72
        u, h, lm, nt = len(username), len(hostname), len(lanman), len(ntlm)
        # AUTHENTICATE_MESSAGE (MS-NLMP §2.2.1.3), fields in nselib's order and offsets
        type3 = (
            str_pack(
                "<z I4 I2I2I4 I2I2I4 I2I2I4 I2I2I4 I2I2I4 I2I2I4 I4 BBI2",
                "NTLMSSP", 3,
                lm, lm, base + u + h,
                nt, nt, base + u + h + lm,
                0, 0, base,
                u, u, base,
                h, h, base + u,
                0, 0, base + u + h + lm + nt,
                type3_flags, 5, 1, 2600,
            )
            + "\0\0\0\x0f" + username + hostname + lanman + ntlm
        )  # fmt: skip
        custom["ntlmauth"] = type3
        sock.send(_build_request(host, port, method, path, custom))
        response, partial = _read_final(
            sock,
            method,
            partial,
            options,
            "There was error in receiving response of type 3 message; ",
        )
        if response is None:
            return partial
    finally:
        sock.close()
    response["ssl"] = opt == "ssl"
    return response


def _request_with_content(
    host: Any, port: Any, method: str, path: Any, options: Any, content: Any
) -> LuaTable:
    # put and post: the body goes in a new options table that the caller's options
    # augment (so options.content, when given, wins, as in nselib)
    mod = LuaTable()
    mod["content"] = content
    _table_augment(mod, options if isinstance(options, LuaTable) else LuaTable())
    return generic_request(host, port, method, path, mod)


def put(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    options: Any = None,
    putdata: Any = None,
    *_: Any,
) -> LuaTable:
    """PUT ``putdata`` (options.content, when given, wins as in nselib)."""
    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    if not _truth(putdata):
        return _http_error("No file to PUT.")
    return _request_with_content(host, port, "PUT", path, options, putdata)


def post(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    options: Any = None,
    ignored: Any = None,
    postdata: Any = None,
    *_: Any,
) -> LuaTable:
    """POST ``postdata`` (a string, or a table sent form-encoded)."""
    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    return _request_with_content(host, port, "POST", path, options, postdata)


# ----------------------------------------------------------------------- redirects


def _domain(h: str) -> str:
    m = _mv(str_match(h, "%..+%..+"))[0]
    return (m if m is not None else h).lower()


def _rule_no_userinfo(u: LuaTable, host: Any, port: Any) -> bool:
    return not _truth(u["userinfo"])


def _rule_same_domain(u: LuaTable, host: Any, port: Any) -> bool:
    from nse.lib import stdnse

    hostname = stdnse.get_hostname(host)
    if hostname == _field(host, "ip"):
        return u["host"] == hostname
    uh = u["host"]
    if not isinstance(uh, str):
        from nse.lua.errors import LuaError

        raise LuaError("attempt to index a nil value (local 'h')")
    return _domain(hostname) == _domain(uh)


def _rule_same_port(u: LuaTable, host: Any, port: Any) -> bool:
    from nse.lib import url

    up = u["port"]
    if up is None:
        up = url.get_default_port(u["scheme"])
    return up is None or up == port["number"]


def _rule_same_scheme(u: LuaTable, host: Any, port: Any) -> bool:
    if _truth(u["scheme"]) and _truth(u["port"]):
        return True
    return not (_truth(u["scheme"]) and u["scheme"] != port["service"])


def _rule_not_root(u: LuaTable, host: Any, port: Any) -> bool:
    if not _truth(u["path"]):
        return False
    tn = _field(host, "targetname")
    if u["path"] == "/" and u["host"] == (tn if _truth(tn) else _field(host, "ip")):
        return False
    return True


_REDIRECT_RULES = (
    _rule_no_userinfo,
    _rule_same_domain,
    _rule_same_port,
    _rule_same_scheme,
    _rule_not_root,
)


def redirect_ok(host: Any = None, port: Any = None, counter: Any = None, *_: Any) -> Any:
    """A closure deciding whether to follow a redirect to a parsed URL: at most
    ``counter`` times, no credentials in the URL, same domain, same port, same scheme,
    not to the root of the same host."""
    if isinstance(port, int | float) and not isinstance(port, bool):
        port = LuaTable.from_dict({"number": port})
    state = {"n": counter}

    def check(u: Any = None, *_: Any) -> bool:
        if state["n"] == 0:
            return False
        from nse.lua.ops import sub

        state["n"] = sub(state["n"], 1)
        return all(rule(u, host, port) for rule in _REDIRECT_RULES)

    return check


def parse_redirect(
    host: Any = None, port: Any = None, path: Any = None, response: Any = None, *_: Any
) -> Any:
    """The parsed target of a 301/302/303/307 (or 300) response's Location, resolved
    against ``path`` (path includes the query); nil when it is not a redirect."""
    from nse.lib import stdnse, url

    if (
        _mv(str_match(tostring(response["status"]), "^30[01237]$"))[0] is None
        or not _truth(response["header"])
        or not _truth(response["header"]["location"])
    ):
        return None
    if isinstance(port, int | float) and not isinstance(port, bool):
        port = LuaTable.from_dict({"number": port})
    u = url.parse(response["header"]["location"])
    if not _truth(u["host"]):
        u["host"] = stdnse.get_hostname(host)
    if not _truth(u["port"]):
        dp = url.get_default_port(u["scheme"])
        u["port"] = dp if dp is not None else port["number"]
    if not _truth(u["path"]):
        u["path"] = "/"
    u["path"] = url.absolute(path, u["path"])
    if _truth(u["query"]):
        u["path"] = tostring(u["path"]) + "?" + tostring(u["query"])
    return u


def _ret_false(*_: Any) -> bool:
    return False


def _get_redirect_ok(host: Any, port: Any, options: Any) -> Any:
    ro = _field(options, "redirect_ok")
    if isinstance(options, LuaTable):
        if ro is False:
            return _ret_false
        if callable(ro):
            return _mv(call(ro, host, port))[0]
        if isinstance(ro, int | float) and not isinstance(ro, bool):
            return redirect_ok(host, port, ro)
    return redirect_ok(host, port, MAX_REDIRECT_COUNT)


def _get_or_head(method: str, host: Any, port: Any, path: Any, options: Any) -> LuaTable:
    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    if not isinstance(options, LuaTable):
        options = LuaTable()
    check = _get_redirect_ok(host, port, options)
    location: Any = None
    uhost, uport, upath = host, port, path
    while True:
        response, state = _lookup_cache(method, uhost, uport, upath, options)
        if response is None:
            try:
                response = generic_request(uhost, uport, method, upath, options)
            except BaseException:
                _insert_cache(state, None)
                raise
            _insert_cache(state, response)
        u = parse_redirect(host, port, path, response)
        if not _truth(u):
            break
        if _truth(u["scheme"]):
            options["scheme"] = u["scheme"]
        if location is None:
            location = LuaTable()
        location.append(response["header"]["location"])
        if not _truth(_mv(call(check, u))[0]):
            break
        uhost, uport, upath = u["host"], u["port"], u["path"]
    response["location"] = location
    return response


def get(
    host: Any = None, port: Any = None, path: Any = None, options: Any = None, *_: Any
) -> LuaTable:
    """GET with the cache and redirects (options.redirect_ok: false, a count, or a
    function(host, port) returning the per-URL check)."""
    return _get_or_head("GET", host, port, path, options)


def head(
    host: Any = None, port: Any = None, path: Any = None, options: Any = None, *_: Any
) -> LuaTable:
    """HEAD with the cache and redirects, as :func:`get`."""
    return _get_or_head("HEAD", host, port, path, options)


def get_url(u: Any = None, options: Any = None, *_: Any) -> LuaTable:
    """GET an absolute URL (port from the URL or its scheme, else 80)."""
    from nse.lib import url

    if not _validate_options(options):
        return _http_error("Options failed to validate.")
    if not isinstance(options, LuaTable):
        options = LuaTable()
    parsed = url.parse(u)
    port = LuaTable()
    port["service"] = parsed["scheme"]
    number = parsed["port"]
    if not _truth(number):
        number = url.get_default_port(parsed["scheme"]) or 80
    port["number"] = number
    if not _truth(options["scheme"]):
        options["scheme"] = parsed["scheme"]
    path = parsed["path"] if _truth(parsed["path"]) else "/"
    if _truth(parsed["query"]):
        path = tostring(path) + "?" + tostring(parsed["query"])
    return get(parsed["host"], port, path, options)


# ----------------------------------------------------------------------- cache


class _Cache:
    """One run's cache (records by key, plus the list used to evict by age)."""

    def __init__(self) -> None:
        self.records: dict[str, Any] = {}
        self.order: list[dict[str, Any]] = []
        self.size = 0


_WORKING = object()
_cache_state: dict[str, Any] = {"rt": None, "cache": None}


def _cache() -> _Cache:
    from nse.engine.context import runtime

    rt = runtime()
    if _cache_state["rt"] is not rt:
        _cache_state["rt"] = rt
        _cache_state["cache"] = _Cache()
    return _cache_state["cache"]  # type: ignore[no-any-return]


def _max_cache_size() -> Any:
    v = tonumber(_arg(("http.max-cache-size", "http-max-cache-size")))
    return v if v is not None else 1e6


def _lookup_cache(method: str, host: Any, port: Any, path: Any, options: Any) -> tuple[Any, Any]:
    from nse.lib import nmap, stdnse

    if not _validate_options(options):
        return None, None
    options = options if isinstance(options, LuaTable) else LuaTable()
    if isinstance(port, LuaTable):
        port = port["number"]
    key = tostring(stdnse.get_hostname(host)) + ":" + tostring(port) + ":" + tostring(path)
    mutex = nmap.mutex("http.cache:" + key)
    state = {
        "mutex": mutex,
        "key": key,
        "method": method,
        "old": None,
        "no_cache": _truth(options["no_cache"]),
        "no_cache_body": _truth(options["no_cache_body"]),
    }
    cache = _cache()
    mutex("lock")
    record = cache.records.get(key)
    if record is _WORKING:  # a fetch died without recording anything
        record = None
    if _truth(options["bypass_cache"]) or record is None or record["method"] != method:
        cache.records[key] = _WORKING
        state["old"] = record
        return None, state
    mutex("done")
    record["last_used"] = time.time()
    return _tcopy(record["result"]), state


def _cacheable(response: LuaTable) -> bool:
    status = response["status"]
    return _truth(status) and status not in (206, 401) and not _truth(response["truncated"])


def _insert_cache(state: Any, response: Any) -> None:
    if state is None:
        return
    cache = _cache()
    key = state["key"]
    try:
        if response is None or state["no_cache"] or not _cacheable(response):
            if state["old"] is None:
                cache.records.pop(key, None)
            else:
                cache.records[key] = state["old"]
            return
        result = _tcopy(response)
        body = result["body"]
        record = {
            "result": result,
            "last_used": time.time(),
            "method": state["method"],
            "size": len(body) if isinstance(body, str) else 0,
        }
        cache.records[key] = record
        cache.order.append(record)
        if state["no_cache_body"]:
            result["body"] = ""
        if isinstance(result["body"], str):
            cache.size += len(result["body"])
            _check_size(cache)
    finally:
        state["mutex"]("done")


def _check_size(cache: _Cache) -> None:
    limit = _max_cache_size()
    size = cache.size
    if size > limit:
        _debug(1, "Current http cache size (%d bytes) exceeds max size of %d", size, int(limit))
        cache.order.sort(key=lambda r: r["last_used"] or 0)
        for record in cache.order:
            if size <= limit:
                break
            if isinstance(record["result"]["body"], str):
                size -= record["size"]
                record["size"] = 0
                record["result"]["body"] = ""
        cache.size = size
    _debug(2, "Final http cache size (%d bytes) of max size of %d", size, int(limit))


# ----------------------------------------------------------------------- pipelining


def pipeline_add(
    path: Any = None, options: Any = None, all_requests: Any = None, method: Any = None, *_: Any
) -> Any:
    """Queue a request (a copy of ``options``) in ``all_requests`` (created if nil)."""
    if not _validate_options(options):
        return None
    opts = _tcopy(options if isinstance(options, LuaTable) else LuaTable())
    if not isinstance(all_requests, LuaTable):
        all_requests = LuaTable()
    all_requests.append(
        LuaTable.from_dict(
            {"method": method if _truth(method) else "GET", "path": path, "options": opts}
        )
    )
    return all_requests


def pGet(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    options: Any = None,  # noqa: N802
    ignored: Any = None,
    all_reqs: Any = None,
    *_: Any,
) -> Any:
    """Deprecated: pipeline_add(path, options, all_reqs, "GET")."""
    _debug(1, "WARNING: pGet() is deprecated. Use pipeline_add() instead.")
    return pipeline_add(path, options, all_reqs, "GET")


def pHead(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    options: Any = None,  # noqa: N802
    ignored: Any = None,
    all_reqs: Any = None,
    *_: Any,
) -> Any:
    """Deprecated: pipeline_add(path, options, all_reqs, "HEAD")."""
    _debug(1, "WARNING: pHead() is deprecated. Use pipeline_add instead.")
    return pipeline_add(path, options, all_reqs, "HEAD")


def addPipeline(
    host: Any = None,
    port: Any = None,
    path: Any = None,
    options: Any = None,  # noqa: N802
    ignored: Any = None,
    all_reqs: Any = None,
    method: Any = None,
    *_: Any,
) -> Any:
    """Deprecated: pipeline_add(path, options, all_reqs, method)."""
    _debug(1, "WARNING: addPipeline() is deprecated! Use pipeline_add instead.")
    return pipeline_add(path, options, all_reqs, method)


def pipeline(host: Any = None, port: Any = None, all_reqs: Any = None, *_: Any) -> Any:
    """Deprecated: pipeline_go(host, port, all_reqs)."""
    _debug(1, "WARNING: pipeline() is deprecated. Use pipeline_go() instead.")
    return pipeline_go(host, port, all_reqs)


def _force_header(headers: Any, name: str, value: str) -> LuaTable:
    headers = headers if isinstance(headers, LuaTable) else LuaTable()
    for h in list(headers.keys()):
        if isinstance(h, str) and h.lower() == name.lower():
            headers[h] = None
    headers[name] = value
    return headers


def _pipeline_limit(response: Any) -> int:
    from nse.lib import stringaux

    v = tonumber(_arg(("http.pipeline", "pipeline")))
    if v is not None:
        return v  # type: ignore[no-any-return]
    if isinstance(response, LuaTable):
        hdr = response["header"] if isinstance(response["header"], LuaTable) else LuaTable()
        conn = hdr["connection"]
        opts = stringaux.strsplit("[,%s]+", (conn if _truth(conn) else "").lower()).to_list()
        if "close" in opts:
            return 1
        if tostring(response["version"]) >= "1.1" or "keep-alive" in opts:
            ka = hdr["keep-alive"]
            m = _mv(str_match(ka if _truth(ka) else "", "max=(%d+)"))[0]
            n = tonumber(m) if m is not None else None
            return 1 + (n if n is not None else 39)
    return 1


def _connected(sock: Any) -> bool:
    from nse.lua.errors import LuaError

    try:
        return _truth(_mv(sock.get_info())[0])
    except LuaError:
        return False


def pipeline_go(host: Any = None, port: Any = None, all_requests: Any = None, *_: Any) -> Any:
    """Send the queued requests pipelined (batches sized by the server's keep-alive limit
    or ``http.pipeline``/``http.max-pipeline``), reconnecting as needed: the responses in
    order (fewer when the server stops answering)."""
    from nse.lib import comm

    responses = LuaTable()
    if not isinstance(all_requests, LuaTable) or len(all_requests) == 0:
        _debug(1, "Warning: empty set of requests passed to http.pipeline_go()")
        return responses
    total = len(all_requests)
    _debug(1, "HTTP pipeline: Total number of requests: %d", total)
    req = all_requests[1]
    req["options"]["header"] = _force_header(req["options"]["header"], "Connection", "keep-alive")
    reqstr = _build_request(host, port, req["method"], req["path"], req["options"])
    copts = LuaTable.from_dict({"recv_before": False, "request_timeout": 10000})
    r = _mv(comm.tryssl(host, port, reqstr, copts)) + (None, None, None)
    sock, partial, bopt = r[0], r[1], r[2]
    if not _truth(sock):
        return None
    r = _next_response(sock, req["method"], partial, req["options"])
    resp, partial = r[0], r[1] if len(r) > 1 else None
    if resp is None:
        sock.close()
        return responses
    responses.append(resp)
    connsent = 1
    connlimit = _pipeline_limit(resp)
    bl = tonumber(_arg("http.max-pipeline"))
    batchlimit = bl if bl is not None else connlimit
    _debug(3, "HTTP pipeline: connlimit=%d, batchlimit=%d", connlimit, batchlimit)
    while len(responses) < total:
        if connsent >= connlimit or _truth(resp["truncated"]) or not _connected(sock):
            sock.close()
            _debug(3, "HTTP pipeline: reconnecting")
            sock.connect(host, port, bopt)
            sock.set_timeout(10000)
            partial = ""
            connsent = 0
        if connlimit > connsent + total - len(responses):
            connlimit = connsent + total - len(responses)
        batchsize = min(connlimit - connsent, batchlimit)
        _debug(
            3,
            "HTTP pipeline: batch=%d, conn=%d/%d, resp=%d/%d",
            batchsize,
            connsent,
            connlimit,
            len(responses),
            total,
        )
        reqs = []
        for i in range(1, int(batchsize) + 1):
            rq = all_requests[len(responses) + i]
            mode = "keep-alive" if connsent + i < connlimit else "close"
            rq["options"]["header"] = _force_header(rq["options"]["header"], "Connection", mode)
            reqs.append(_build_request(host, port, rq["method"], rq["path"], rq["options"]))
        sock.send("".join(reqs))
        for i in range(1, int(batchsize) + 1):
            rq = all_requests[len(responses) + 1]
            r = _next_response(sock, rq["method"], partial, rq["options"])
            resp, partial = r[0], r[1] if len(r) > 1 else None
            if resp is None:
                _debug(3, "HTTP pipeline: response[%d]: %s", len(responses) + 1, tostring(partial))
                connlimit = connsent + i - 1
                if connlimit == 0:
                    _debug(1, "HTTP pipeline: First request on a new connection failed; giving up.")
                    sock.close()
                    return responses
                _debug(
                    1,
                    "HTTP pipeline: Received only %d of %d batch responses.\nDecreasing "
                    "connection limit to %d.",
                    i - 1,
                    batchsize,
                    connlimit,
                )
                break
            responses.append(resp)
            if _truth(resp["truncated"]):
                break
        connsent += batchsize
    sock.close()
    _debug(1, "HTTP pipeline: Number of received responses: %d", len(responses))
    return responses
