"""The ``shortport`` library: ready-made portrules (nselib/shortport.lua).

Rules take ``(host, port)`` tables and return a boolean.  Port lists may hold numbers and
``"a-b"``/``"n"`` strings; protocols default to ``"tcp"`` and states to
``{"open", "open|filtered"}``, as in the Lua original.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from nse.lib import nmap as _nmap
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

__all__ = [
    "port_is_excluded", "portnumber", "service", "port_or_service",
    "version_port_or_service", "LIKELY_HTTP_PORTS", "LIKELY_HTTP_SERVICES", "http", "ssl",
    "ssh", "port_range",
]  # fmt: skip

Rule = Callable[..., bool]


def _list(v: Any) -> list[Any]:
    if isinstance(v, LuaTable):
        out = []
        i = 1
        while (x := v[i]) is not None:
            out.append(x)
            i += 1
        return out
    if isinstance(v, list | tuple):
        return list(v)
    return [v]


def _eq(a: Any, b: Any) -> bool:
    # Lua ==: numbers compare by value (1 == 1.0), never equal to strings
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return a is b


def _contains(items: list[Any], value: Any) -> bool:
    return any(_eq(e, value) for e in items)


def _port_includes(items: list[Any], value: Any) -> bool:
    for elem in items:
        if _eq(elem, value):
            return True
        if isinstance(elem, str):
            m = re.fullmatch(r"(\d+)-(\d+)", elem)
            if m:
                ps, pe = int(m.group(1)), int(m.group(2))
            else:
                m = re.fullmatch(r"\d+", elem)
                if not m:
                    raise LuaError("Incorrect port range specification.")
                ps = pe = int(elem)
            if ps > pe:
                raise LuaError(
                    "Incorrect port range specification, the starting port "
                    "should have a smaller value than the ending port."
                )
            if not (ps > -1 and pe < 65536):
                raise LuaError("Port range number out of range (0-65535).")
            if isinstance(value, int | float) and ps <= value <= pe:
                return True
    return False


def port_is_excluded(port: Any = None, proto: Any = None, *_: Any) -> bool:
    """Whether --exclude-ports names this port."""
    return bool(_nmap.port_is_excluded(port, proto or "tcp"))


_DEFAULT_STATES = ["open", "open|filtered"]


def portnumber(ports: Any = None, protos: Any = None, states: Any = None, *_: Any) -> Rule:
    """A rule matching port numbers (and protocol, state)."""
    pl = _list(ports)
    prl = _list(protos if protos is not None else "tcp")
    sl = _list(states) if states is not None else list(_DEFAULT_STATES)

    def rule(host: Any = None, port: Any = None, *_: Any) -> bool:
        return (
            _port_includes(pl, port["number"])
            and _contains(prl, port["protocol"])
            and _contains(sl, port["state"])
        )

    return rule


def service(services: Any = None, protos: Any = None, states: Any = None, *_: Any) -> Rule:
    """A rule matching service names (and protocol, state)."""
    svl = _list(services)
    prl = _list(protos if protos is not None else "tcp")
    sl = _list(states) if states is not None else list(_DEFAULT_STATES)

    def rule(host: Any = None, port: Any = None, *_: Any) -> bool:
        return (
            _contains(svl, port["service"])
            and _contains(prl, port["protocol"])
            and _contains(sl, port["state"])
        )

    return rule


def port_or_service(
    ports: Any = None, services: Any = None, protos: Any = None, states: Any = None, *_: Any
) -> Rule:
    """A rule matching either the port numbers or the services."""

    def rule(host: Any = None, port: Any = None, *_: Any) -> bool:
        return portnumber(ports, protos, states)(host, port) or service(services, protos, states)(
            host, port
        )

    return rule


def version_port_or_service(
    ports: Any = None,
    services: Any = None,
    protos: Any = None,
    states: Any = None,
    rarity: Any = None,
    *_: Any,
) -> Rule:
    """port_or_service for version scripts: not excluded, --version-intensity >= rarity."""

    def rule(host: Any = None, port: Any = None, *_: Any) -> bool:
        return (
            port_or_service(ports, services, protos, states)(host, port)
            and not port_is_excluded(port["number"], port["protocol"])
            and _nmap.version_intensity() >= (rarity if rarity is not None else 7)
        )

    return rule


LIKELY_HTTP_PORTS = LuaTable.from_list(
    [80, 443, 631, 7080, 8080, 8443, 8088, 5800, 3872, 8180, 8000]
)
LIKELY_HTTP_SERVICES = LuaTable.from_list(
    [
        "http",
        "https",
        "ipp",
        "http-alt",
        "https-alt",
        "vnc-http",
        "oem-agent",
        "soap",
        "http-proxy",
        "caldav",
        "carddav",
        "webdav",
    ]
)
http = port_or_service(LIKELY_HTTP_PORTS, LIKELY_HTTP_SERVICES)

_LIKELY_SSL_PORTS = [
    261,
    271,
    324,
    443,
    465,
    563,
    585,
    636,
    853,
    989,
    990,
    992,
    993,
    994,
    995,
    2221,
    2252,
    2376,
    3269,
    3389,
    4433,
    4911,
    5061,
    5986,
    6679,
    6697,
    8443,
    9001,
    8883,
]
_LIKELY_SSL_SERVICES = [
    "ftps",
    "ftps-data",
    "ftps-control",
    "https",
    "https-alt",
    "imaps",
    "ircs",
    "ldapssl",
    "ms-wbt-server",
    "pop3s",
    "sip-tls",
    "smtps",
    "telnets",
    "tor-orport",
]
# Two TLS ClientHellos (TLS 1.2 then SSL 3.0 era), byte for byte those of shortport.lua.
_SSL_PROBES = [
    "\x16\x03\x00\x00\x69\x01\x00\x00\x65\x03\x03U\x1c\xa7\xe4random1random2random3"
    "random4\x00\x00\x0c\x00/\x00\x0a\x00\x13\x009\x00\x04\x00\xff\x01\x00\x00\x30\x00"
    "\x0d\x00,\x00*\x00\x01\x00\x03\x00\x02\x06\x01\x06\x03\x06\x02\x02\x01\x02\x03\x02"
    "\x02\x03\x01\x03\x03\x03\x02\x04\x01\x04\x03\x04\x02\x01\x01\x01\x03\x01\x02\x05"
    "\x01\x05\x03\x05\x02",
    "\x16\x03\x00\x00S\x01\x00\x00O\x03\x00?G\xd7\xf7\xba,\xee\xea\xb2`~\xf3\x00\xfd"
    "\x82{\xb9\xd5\x96\xc8w\x9b\xe6\xc4\xdb<=\xdbo\xef\x10n\x00\x00(\x00\x16\x00\x13"
    "\x00\x0a\x00f\x00\x05\x00\x04\x00e\x00d\x00c\x00b\x00a\x00`\x00\x15\x00\x12\x00"
    "\x09\x00\x14\x00\x11\x00\x08\x00\x06\x00\x03\x01\x00",
]
_SERVER_HELLO = re.compile(r"\A\x16\x03[\x00-\x03]..\x02...\x03[\x00-\x03]", re.S)
_ALERT = re.compile(r"\A\x15\x03[\x00-\x03]\x00\x02\x02[F\x28]", re.S)
_TLS_RECORD = re.compile(r"\A[\x16\x15]\x03", re.S)


def ssl(host: Any = None, port: Any = None, *_: Any) -> Any:
    """Whether the port probably speaks SSL/TLS (asks the service when unsure)."""
    version = port["version"]
    if (isinstance(version, LuaTable) and version["service_tunnel"] == "ssl") or port_or_service(
        _LIKELY_SSL_PORTS, _LIKELY_SSL_SERVICES, ["tcp", "sctp"]
    )(host, port):
        return True
    if host is None or host is False:
        return False
    registry = host["registry"]
    if (
        isinstance(version, LuaTable)
        and isinstance(version["name_confidence"], int | float)
        and version["name_confidence"] <= 3
        and registry is not None
        and not _nmap.port_is_excluded(port["number"], port["protocol"])
    ):
        from nse.lib import comm

        if registry["ssl"] is None:
            registry["ssl"] = LuaTable()
        cache = registry["ssl"]
        mtx = _nmap.mutex(cache)
        mtx("lock")
        try:
            from nse.lib._util import lua_tostring

            key = lua_tostring(port["number"]) + str(port["protocol"])
            v = cache[key]
            if v is None:
                for probe in _SSL_PROBES:
                    r = comm.exchange(host, port, probe)
                    r = r if type(r) is tuple else (r,)
                    status, resp = (r + (None, None))[:2]
                    if status and isinstance(resp, str):
                        if _SERVER_HELLO.match(resp) or _ALERT.match(resp):
                            v = True
                            break
                        if not _TLS_RECORD.match(resp):
                            v = False
                            break
                cache[key] = v or False
        finally:
            mtx("done")
        return v
    return False


_LIKELY_SSH_PORTS = [22, 2222, 55554, 22222, 2382, 830]
ssh = port_or_service(_LIKELY_SSH_PORTS, ["ssh", "netconf-ssh"])


def port_range(rng: Any = None, *_: Any) -> Rule:
    """A rule from an nmap-style port range string (``"T:80,443,U:53,1000-1100"``)."""
    from nse.lua.numfmt import str2number
    from nse.lua.strlib import str_find

    if not isinstance(rng, str) or rng == "":
        raise LuaError("Incorrect port range specification.")
    ports: dict[str, list[Any]] = {"tcp": [], "udp": []}
    proto = "both"
    pos = 1
    while True:
        r = str_find(rng, "^%s*([TU:]+)", pos)
        r = r if type(r) is tuple else (r,)
        if r and r[0] is not None:
            pos = r[1] + 1
            spec = r[2]
            if spec == "U:":
                proto = "udp"
            elif spec == "T:":
                proto = "tcp"
            elif spec != "":
                raise LuaError("Incorrect port range specification.")
        while True:
            r = str_find(rng, "^%s*([%d%-]+),?", pos)
            r = r if type(r) is tuple else (r,)
            if not r or r[0] is None:
                break
            pos = r[1] + 1
            n = str2number(r[2])
            portspec = n if n is not None else r[2]
            if proto == "both":
                ports["tcp"].append(portspec)
                ports["udp"].append(portspec)
            else:
                ports[proto].append(portspec)
            if pos >= len(rng):
                break
        if pos >= len(rng):
            break
    tcp_rule = portnumber(ports["tcp"], "tcp")
    udp_rule = portnumber(ports["udp"], "udp")

    def rule(host: Any = None, port: Any = None, *_: Any) -> bool:
        return tcp_rule(host, port) or udp_rule(host, port)

    return rule
