"""The ``sslcert`` library: get a service's TLS certificate, directly or after the
service's STARTTLS command (nselib's sslcert.lua).

``getCertificate(host, port)`` tries, in nselib's order: the STARTTLS preparation for the
port's service or number (then a TLS handshake on that socket), a direct TLS connection,
and finally a plain connection on which a TLS 1.2 ClientHello is sent by hand and the
Certificate message read from the records (``nse.lib.tls``) -- the path that still works
when the local TLS stack refuses the server's protocol or ciphers.  Results are cached in
``host.registry["ssl-cert"][port.number]``; STARTTLS outcomes in
``host.registry.starttls["<number>/<protocol>"]``.

The certificate table is the one nmap's C code builds (``nmap.socket.parse_ssl_certificate``,
nse.lib._x509 on top of ``cryptography``): subject, issuer, pubkey, validity, extensions,
pem, sig_algorithm and ``cert:digest(name)``.

STARTTLS is implemented for ftp (AUTH TLS), smtp and lmtp (EHLO/LHLO then STARTTLS),
imap, pop3 (STLS), nntp, postgresql, ldap (the StartTLS extended operation), mysql
(SSLRequest after the greeting) and xmpp,
speaking exactly what nselib sends (for xmpp with TLS, nselib goes through its xmpp
library; here the same stream/starttls exchange as its "without reconnect" variant is
used).  Not implemented (they need the vnc and mssql protocol code): vnc (VeNCrypt) and
ms-sql-s (TDS); for those ports ``getCertificate`` falls back to direct TLS.
``WrappedSocket`` (used by nselib only for TDS) is not provided.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nse.lib import tls
from nse.lib._util import debug as _debug
from nse.lib._util import results as _mv
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import truth as _truth
from nse.lua.strlib import str_match
from nse.lua.strpack import str_pack

__all__ = [
    "parse_ssl_certificate",
    "StartTLS",
    "getPrepareTLSWithoutReconnect",
    "isPortSupported",
    "getCertificate",
]


def parse_ssl_certificate(der: Any = None, *_: Any) -> Any:
    """The certificate table of a DER certificate (nmap.socket.parse_ssl_certificate)."""
    from nse.lib import nmap

    return nmap.socket["parse_ssl_certificate"](der)


# ------------------------------------------------------------------ STARTTLS registry


def _starttls_key(port: LuaTable) -> str:
    from nse.lib._util import lua_tostring

    return f"{int(port['number'])}/{lua_tostring(port['protocol'])}"


def _starttls_reg(host: LuaTable) -> LuaTable:
    reg = host["registry"]
    if not _truth(reg["starttls"]):
        reg["starttls"] = LuaTable()
    return reg["starttls"]  # type: ignore[no-any-return]


def _starttls_supported(host: Any, port: Any, state: bool) -> None:
    if not isinstance(host, LuaTable) or not isinstance(host["registry"], LuaTable):
        return
    reg = _starttls_reg(host)
    key = _starttls_key(port)
    if reg[key] is None:
        reg[key] = state
        host["registry"]["starttls_failed"] = reg


def _starttls_failed_before(host: Any, port: Any) -> bool:
    if not isinstance(host, LuaTable) or not isinstance(host["registry"], LuaTable):
        return False
    v = _starttls_reg(host)[_starttls_key(port)]
    return v is False


# ------------------------------------------------------------------ the preparations


def _opencon(host: Any, port: Any, data: Any, **opts: Any) -> tuple[Any, ...]:
    from nse.lib import comm

    r = _mv(comm.opencon(host, port, data, LuaTable.from_dict(opts) if opts else None))
    return r + (None, None, None)


def _line_reply(s: Any) -> Any:
    r = _mv(s.receive_lines(1)) + (None,)
    return r[1] if r[0] else ""


def _ftp_read_reply(s: Any, buf: list[str]) -> tuple[Any, str]:
    """An FTP reply (multi-line "220-" ... "220 " too): code (number or nil), text."""
    lines: list[str] = []
    code = None
    while True:
        while "\n" not in buf[0]:
            r = _mv(s.receive()) + (None,)
            if not r[0]:
                return None, r[1] if isinstance(r[1], str) else "EOF"
            buf[0] += r[1]
        line, buf[0] = buf[0].split("\n", 1)
        line = line.rstrip("\r")
        lines.append(line)
        m = _mv(str_match(line, "^(%d%d%d)([ -])"))
        if m[0] is not None:
            if code is None:
                code = m[0]
            if m[0] == code and m[1] == " ":
                return int(code), "\n".join(lines)
        elif code is None:
            return None, line


def _ftp(host: Any, port: Any) -> tuple[Any, Any]:
    from nse.lib import nmap

    s = nmap.new_socket()
    ok = _mv(s.connect(host, port, "tcp")) + (None,)
    if not ok[0]:
        return False, f"Failed to connect to FTP server: {ok[1]}"
    buf = [""]
    code, text = _ftp_read_reply(s, buf)
    if code != 220:
        s.close()
        return False, f"FTP protocol error: {code if code is not None else text}"
    s.send("AUTH TLS\r\n")
    code, text = _ftp_read_reply(s, buf)
    if code != 234:
        _starttls_supported(host, port, False)
        s.send("QUIT\r\n")
        s.close()
        return False, f"FTP AUTH TLS error: {text}"
    _starttls_supported(host, port, True)
    return True, s


def _greeted(host: Any, port: Any, what: str, greeting: str) -> tuple[Any, str]:
    """Connect and check the server's first line (IMAP, POP3, NNTP): the socket, or None
    and nselib's message."""
    s, err, result = _opencon(host, port, "", lines=1, recv_before=True)[:3]
    if not _truth(s):
        return None, f"Failed to connect to {what} server: {err}"
    if str_match(result or "", greeting) is None:
        return None, f"{what} protocol mismatch"
    return s, ""


def _starttls_command(
    host: Any, port: Any, s: Any, command: str, ok: str, quit_: bool = True, close: bool = False
) -> bool:
    """Send the one-line STARTTLS command and record whether the reply matched ``ok``;
    a refusal is logged and, as nselib does per protocol, answered with QUIT and/or a
    close."""
    s.send(command)
    result = _line_reply(s)
    if str_match(result, ok) is None:
        _starttls_supported(host, port, False)
        _debug(1, "Error: %s", result)
        if quit_:
            s.send("QUIT\r\n")
        if close:
            s.close()
        return False
    _starttls_supported(host, port, True)
    return True


def _imap(host: Any, port: Any) -> tuple[Any, Any]:
    s, err = _greeted(host, port, "IMAP", "^%* OK")
    if s is None:
        return False, err
    s.send("A001 CAPABILITY\r\n")
    if str_match(_line_reply(s), "STARTTLS") is None:
        _starttls_supported(host, port, False)
        _debug(1, "Server doesn't support STARTTLS")
        return False, "Failed to connect to IMAP server"
    if not _starttls_command(host, port, s, "A002 STARTTLS\r\n", "^A002 OK", quit_=False):
        return False, "Failed to connect to IMAP server"
    return True, s


def _one_command(
    what: str, greeting: str, command: str, ok: str, refused: str, close: bool
) -> Callable[[Any, Any], tuple[Any, Any]]:
    """The preparation of a protocol whose STARTTLS is one command after the greeting
    (POP3 STLS, NNTP STARTTLS); a refusal is answered with QUIT (and a close if
    ``close``), as nselib does for each."""

    def prepare(host: Any = None, port: Any = None, *_: Any) -> tuple[Any, Any]:
        s, err = _greeted(host, port, what, greeting)
        if s is None:
            return False, err
        if not _starttls_command(host, port, s, command, ok, close=close):
            return False, refused
        return True, s

    return prepare


_pop3 = _one_command(
    "POP3", "^%+OK", "STLS\r\n", "^%+OK", "Failed to connect to POP3 server", close=False
)
_nntp = _one_command(
    "NNTP", "^200", "STARTTLS\r\n", "^382 ", "NNTP server does not support STARTTLS", close=True
)


def _smtp_domain(host: Any) -> str:
    from nse.lib import stdnse

    d = stdnse.script_arg("smtp.domain")
    if _truth(d):
        return d  # type: ignore[no-any-return]
    if isinstance(host, LuaTable):
        if _truth(host["targetname"]):
            return host["targetname"]  # type: ignore[no-any-return]
        if isinstance(host["name"], str) and host["name"] != "":
            return host["name"]  # type: ignore[no-any-return]
    return "nmap.scanme.org"


def _smtp_like(hello: str, what: str) -> Callable[[Any, Any], tuple[Any, Any]]:
    def prepare(host: Any = None, port: Any = None, *_: Any) -> tuple[Any, Any]:
        s, _resp, early = _opencon(host, port, None, lines=1, recv_before=1)[:3]
        if not _truth(s):
            return False, f"Failed to connect to {what} server: {_resp}"
        s.send(f"{hello} {_smtp_domain(host)}\r\n")
        reply = _line_reply(s)
        if str_match(reply, "^250") is None:
            s.send("QUIT\r\n")
            s.close()
            return False, f"Failed to connect to {what} server: SMTP: {hello} {reply}"
        s.send("STARTTLS\r\n")
        reply = _line_reply(s)
        if str_match(reply, "^220") is None:
            _starttls_supported(host, port, False)
            _debug(
                1,
                "STARTTLS failed or unavailable.  Enable --script-trace to see what is happening.",
            )
            s.send("QUIT\r\n")
            s.close()
            return False, f"Failed to connect to {what} server: SMTP: STARTTLS {reply}"
        _starttls_supported(host, port, True)
        return True, s

    return prepare


def _postgres(host: Any, port: Any) -> tuple[Any, Any]:
    # SSLRequest: length 8, code 80877103 (PostgreSQL protocol, "SSL Session Encryption")
    s, resp = _opencon(host, port, str_pack(">I4I4", 8, 80877103))[:2]
    if not _truth(s):
        return False, f"Failed to connect to Postgres server: {resp}"
    if str_match(resp or "", "^[SY]") is not None:
        _starttls_supported(host, port, True)
        return True, s
    if str_match(resp or "", "^N") is not None:
        _starttls_supported(host, port, False)
        return False, "Postgres server does not support SSL"
    return False, "Unknown response from Postgres server"


def _ldap(host: Any, port: Any) -> tuple[Any, Any]:
    from nse.lib import asn1, nmap
    from nse.lua.ops import invoke

    s = nmap.new_socket()
    if not _mv(s.connect(host, port, "tcp"))[0]:
        return False, "Failed to connect to LDAP server"
    # LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0]
    # "1.3.6.1.4.1.1466.20037" } } (RFC 4511 §4.14.1, StartTLS)
    oid = "1.3.6.1.4.1.1466.20037"
    op = str_pack("Bs1", 0x80, oid)
    enc = invoke(asn1.ASN1Encoder, "new")
    request = "\x77" + asn1.ASN1Encoder["encodeLength"](len(op)) + op
    data = invoke(enc, "encodeSeq", invoke(enc, "encode", 1) + request)
    if not _mv(s.send(data))[0]:
        return False, "STARTTLS failed"
    r = _mv(s.receive()) + (None,)
    if not r[0]:
        return False, "STARTTLS failed"
    resp = r[1]
    try:
        _len, pos = asn1.ASN1Decoder["decodeLength"](resp, 2)
        pos = _skip_ber(resp, pos)  # messageID
        tag = ord(resp[pos - 1])
        pos += 1
        op_number = asn1.intToBER(tag)["number"]
        if op_number != 24:  # ExtendedResponse
            _starttls_supported(host, port, False)
            _debug(1, "STARTTLS failed (got wrong op number: %d)", op_number)
            return False, "STARTTLS failed"
        _len, pos = asn1.ASN1Decoder["decodeLength"](resp, pos)
        # resultCode ENUMERATED
        rlen = ord(resp[pos])
        code = int.from_bytes(resp[pos + 1 : pos + 1 + rlen].encode("latin-1"), "big")
    except (IndexError, LuaError):
        return False, "STARTTLS failed"
    if code != 0:
        _starttls_supported(host, port, False)
        _debug(1, "STARTTLS failed (LDAP error code is: %d)", code)
        return False, "STARTTLS failed"
    _starttls_supported(host, port, True)
    return True, s


def _skip_ber(data: str, pos: int) -> int:
    """Position after the BER element at ``pos`` (1-based)."""
    from nse.lib import asn1

    length, p = asn1.ASN1Decoder["decodeLength"](data, pos + 1)
    return int(p + length)


def _xmpp(host: Any, port: Any) -> tuple[Any, Any]:
    from nse.lib import nmap

    name = host["name"] if isinstance(host, LuaTable) else host
    start = (
        "<?xml version='1.0' ?>\r\n<stream:stream xmlns:stream="
        "'http://etherx.jabber.org/streams' xmlns='jabber:client' to='"
        + (name if isinstance(name, str) else "")
        + "' version='1.0'>\r\n"
    )
    s = nmap.new_socket()
    s.set_timeout(5000)
    if not _mv(s.connect(host, port))[0]:
        s.close()
        return False, "Failed to connect to XMPP server"
    for out in (start, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\r\n"):
        if not _mv(s.send(out))[0]:
            s.close()
            return False, "Failed to connect to XMPP server"
        r = _mv(s.receive()) + (None,)
        if not r[0]:
            s.close()
            return False, "Failed to connect to XMPP server"
    if "proceed" not in r[1]:
        r = _mv(s.receive()) + (None,)  # the answer may come in a second read
        if not r[0]:
            s.close()
            return False, "Failed to connect to XMPP server"
    if "proceed" in r[1]:
        _starttls_supported(host, port, True)
        return True, s
    _starttls_supported(host, port, False)
    return False, "Failed to connect to XMPP server"


# MySQL capability flags (client/server protocol, "Capabilities Flags")
_MYSQL_SSL = 0x0800
_MYSQL_CLIENT_CAPS = 0x0800 | 0x0001 | 0x0004 | 0x0080 | 0x0200 | 0x0400 | 0x2000 | 0x8000


def _mysql(host: Any, port: Any) -> tuple[Any, Any]:
    from nse.lua.strpack import str_unpack

    s, err = _opencon(host, port, None)[:2]
    if not _truth(s):
        return False, f"Failed to connect to MySQL server: {err}"
    # the server greeting: 3-byte length, sequence number, then the handshake packet
    r = _mv(s.receive_bytes(4)) + (None,)
    if not r[0]:
        s.close()
        return False, "MySQL handshake error: receiveGreeting(): failed"
    data = r[1]
    length = int.from_bytes(data[:3].encode("latin-1"), "little")
    while len(data) - 4 < length:
        r = _mv(s.receive_bytes(length - len(data) + 4)) + (None,)
        if not r[0]:
            s.close()
            return False, "MySQL handshake error: receiveGreeting(): failed"
        data += r[1]
    try:
        proto, pos = str_unpack("B", data, 5)
        if proto == 0xFF:
            return False, f"MySQL handshake error: {data[pos + 1 :]}"
        _version, _thread, pos = str_unpack("<zI4", data, pos)
        caps = str_unpack("<c8xI2", data, pos)[1] if proto == 10 else 0
    except LuaError:
        return False, "MySQL handshake error: receiveGreeting(): failed"
    if caps & _MYSQL_SSL == 0:
        return False, "MySQL server does not support SSL"
    # SSLRequest: capabilities, extended capabilities 0, max packet 16 MiB, latin1 (8)
    packet = str_pack("<I2I2I4B c23", _MYSQL_CLIENT_CAPS, 0, 16777216, 8, "\0" * 23)
    s.send(str_pack("<I4", len(packet) + (1 << 24)) + packet)
    return True, s


def _tls_reconnect(prepare: Callable[[Any, Any], tuple[Any, Any]]) -> Callable[..., Any]:
    def with_tls(host: Any = None, port: Any = None, *_: Any) -> tuple[Any, Any]:
        status, s = prepare(host, port)
        if status:
            r = _mv(s.reconnect_ssl())
            if not r[0]:
                _debug(1, "Could not establish SSL session after STARTTLS command.")
                s.close()
                return False, "Failed to connect to server"
            return True, s
        return False, f"Failed to connect to server: {s if s is not None else 'unknown error'}"

    return with_tls


def _wrap(fn: Callable[[Any, Any], tuple[Any, Any]]) -> Callable[..., Any]:
    def lua_fn(host: Any = None, port: Any = None, *_: Any) -> tuple[Any, Any]:
        return fn(host, port)

    return lua_fn


_smtp = _smtp_like("EHLO", "SMTP")
_lmtp = _smtp_like("LHLO", "LMTP")

StartTLS = LuaTable.from_dict(
    {
        "ftp_prepare_tls_without_reconnect": _wrap(_ftp),
        "ftp_prepare_tls": _tls_reconnect(_ftp),
        "imap_prepare_tls_without_reconnect": _wrap(_imap),
        "imap_prepare_tls": _tls_reconnect(_imap),
        "lmtp_prepare_tls_without_reconnect": _lmtp,
        "lmtp_prepare_tls": _tls_reconnect(_lmtp),
        "nntp_prepare_tls_without_reconnect": _wrap(_nntp),
        "nntp_prepare_tls": _tls_reconnect(_nntp),
        "pop3_prepare_tls_without_reconnect": _wrap(_pop3),
        "pop3_prepare_tls": _tls_reconnect(_pop3),
        "postgres_prepare_tls_without_reconnect": _wrap(_postgres),
        "postgres_prepare_tls": _tls_reconnect(_postgres),
        "smtp_prepare_tls_without_reconnect": _smtp,
        "smtp_prepare_tls": _tls_reconnect(_smtp),
        "ldap_prepare_tls_without_reconnect": _wrap(_ldap),
        "ldap_prepare_tls": _tls_reconnect(_ldap),
        "xmpp_prepare_tls_without_reconnect": _wrap(_xmpp),
        "xmpp_prepare_tls": _tls_reconnect(_xmpp),
        "mysql_prepare_tls_without_reconnect": _wrap(_mysql),
        "mysql_prepare_tls": _tls_reconnect(_mysql),
    }
)

# service name / port number -> StartTLS function name prefix
_SPECIAL: dict[Any, str] = {
    "ftp": "ftp", 21: "ftp", "nntp": "nntp", 119: "nntp", "imap": "imap", 143: "imap",
    "lmtp": "lmtp", "pop3": "pop3", 110: "pop3", "postgresql": "postgres", 5432: "postgres",
    "smtp": "smtp", 25: "smtp", 587: "smtp", "ldap": "ldap", 389: "ldap",
    "xmpp": "xmpp", 5222: "xmpp", 5269: "xmpp", "mysql": "mysql", 3306: "mysql",
}  # fmt: skip


def _special(port: LuaTable, reconnect: bool) -> Any:
    name = _SPECIAL.get(port["service"]) or _SPECIAL.get(port["number"])
    if name is None:
        return None
    return StartTLS[f"{name}_prepare_tls" + ("" if reconnect else "_without_reconnect")]


def _with_reg_check(special: Any) -> Any:
    if special is None:
        return None

    def checked(host: Any = None, port: Any = None, *_: Any) -> Any:
        if _starttls_failed_before(host, port):
            return False, "Previous STARTTLS attempt failed"
        return special(host, port)

    return checked


def _tunnelled(port: LuaTable) -> bool:
    v = port["version"]
    return isinstance(v, LuaTable) and v["service_tunnel"] == "ssl"


def getPrepareTLSWithoutReconnect(port: Any = None, *_: Any) -> Any:  # noqa: N802
    """A function(host, port) doing the service's STARTTLS but leaving the socket plain
    (for scripts that run their own TLS handshake), or nil."""
    if port["protocol"] == "udp" or _tunnelled(port):
        return None
    return _with_reg_check(_special(port, False))


def isPortSupported(port: Any = None, *_: Any) -> Any:  # noqa: N802
    """A function(host, port) returning ``true, socket`` already in TLS after STARTTLS, or
    nil when the port has no STARTTLS known here."""
    if port["protocol"] == "udp" or _tunnelled(port):
        return None
    return _with_reg_check(_special(port, True))


# ------------------------------------------------------------------ certificate


def _record_iter(sock: Any) -> Callable[[], tuple[Any, Any]]:
    state: dict[str, Any] = {"buffer": "", "i": 1, "fragment": None}

    def nxt() -> tuple[Any, Any]:
        i, record, more = tls.record_read(state["buffer"], state["i"], state["fragment"])
        state["i"] = i
        if record is None:
            if not more:
                return None, "no more"
            r = _mv(tls.record_buffer(sock, state["buffer"], state["i"])) + (None, None)
            status, state["buffer"], err = r[0], r[1], r[2]
            if not status:
                return None, err
            i, record, _more = tls.record_read(state["buffer"], state["i"], state["fragment"])
            state["i"] = i
            if record is None:
                return None, "done"
        state["fragment"] = record["fragment"]
        return record, None

    return nxt


def _handshake_cert(sock: Any) -> tuple[Any, Any]:
    """Send a TLS 1.2 ClientHello and read the server's Certificate message."""
    hello = tls.client_hello(LuaTable.from_dict({"protocol": "TLSv1.2"}))
    if not _mv(sock.send(hello))[0]:
        return False, "Failed to send to server"
    nxt = _record_iter(sock)
    records: dict[str, LuaTable] = {}
    done = False
    while not done:
        record, err = nxt()
        if record is None:
            _debug(1, "no record: %s", str(err))
            break
        rtype = record["type"]
        first = records.setdefault(rtype, record)
        body = record["body"]
        for j in range(1, len(body) + 1):
            b = body[j]
            done = (rtype == "alert" and b["level"] == "fatal") or (
                rtype == "handshake" and b["type"] == "server_hello_done"
            )
            first["body"].append(b)
    hs = records.get("handshake")
    if hs is None:
        return False, "Server did not handshake"
    certs = None
    for _k, b in hs["body"].items():
        if isinstance(b, LuaTable) and b["type"] == "certificate":
            certs = b
            break
    if certs is None or len(certs["certificates"]) == 0:
        return False, "Server sent no certificate"
    cert = parse_ssl_certificate(certs["certificates"][1])
    if cert is None:
        return False, "Unable to parse cert: nil"
    return True, cert


def getCertificate(host: Any = None, port: Any = None, *_: Any) -> Any:  # noqa: N802
    """``true, cert`` for the service's certificate (STARTTLS, direct TLS, or a
    hand-made TLS 1.2 handshake), cached per host and port; ``false, "No certificate
    found"`` otherwise."""
    from nse.lib import nmap

    # nselib takes one mutex for every host and port ("sslcert-cache-mutex"): one server
    # that never answers then holds every other port's ssl-cert until the script times out
    # (acceptance 4).  The cache it guards is per host and port, so the lock is too.
    mutex = nmap.mutex(f"sslcert-cache-mutex {host['ip']} {port['number']}")
    mutex("lock")
    try:
        reg = host["registry"]
        cache = reg["ssl-cert"] if isinstance(reg, LuaTable) else None
        if isinstance(cache, LuaTable) and cache[port["number"]] is not None:
            _debug(2, "sslcert: Returning cached SSL certificate")
            return True, cache[port["number"]]
        cert: Any = None
        status = False
        specialized = _special(port, True)
        if specialized is not None and not _tunnelled(port):
            r = _mv(specialized(host, port)) + (None,)
            if not r[0]:
                _debug(1, "Specialized function error: %s", str(r[1]))
            else:
                sock = r[1]
                cert = sock.get_ssl_certificate()
                status = cert is not None
                sock.close()
        if not status:
            sock = nmap.new_socket()
            r = _mv(sock.connect(host, port, "ssl")) + (None,)
            if not r[0]:
                _debug(1, "SSL connect error: %s", str(r[1]))
            else:
                cert = sock.get_ssl_certificate()
                status = cert is not None
            sock.close()
        if not status:
            sock = nmap.new_socket()
            r = _mv(sock.connect(host, port)) + (None,)
            if not r[0]:
                _debug(1, "Connect error: %s", str(r[1]))
            else:
                status, cert = _handshake_cert(sock)
            sock.close()
        if not status:
            return False, "No certificate found"
        if isinstance(reg, LuaTable):
            if not isinstance(reg["ssl-cert"], LuaTable):
                reg["ssl-cert"] = LuaTable()
            reg["ssl-cert"][port["number"]] = cert
        return True, cert
    finally:
        mutex("done")
