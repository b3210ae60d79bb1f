"""The ``comm`` library: connect, exchange data, grab banners (nselib/comm.lua).

Errors are ``oops`` error objects as in the Lua original: tables with a ``push`` method
and a ``__tostring`` that reads "The script encountered an error: ..." depending on -v/-d.
When the Python ``oops`` module exists its objects are used; otherwise a compatible
replica is built here.
"""

from __future__ import annotations

from typing import Any

from nse.lib import nmap as _nmap
from nse.lib import stdnse as _stdnse
from nse.lua.luatable import LuaTable

__all__ = ["get_banner", "exchange", "opencon", "tryssl"]

REQUEST_TIMEOUT = 6000


# ------------------------------------------------------------------------- oops


def _oops_module() -> Any:
    try:
        from nse.lib import lua_module

        return lua_module("oops")
    except ImportError:
        return None


def _oops_push(self: LuaTable, message: Any = None, *_: Any) -> Any:
    self.insert(1, message)
    return ()


def _oops_tostring(self: LuaTable, *_: Any) -> str:
    from nse.lib._util import lua_tostring

    banner = "The script encountered an error"
    sep = ":\n- "
    items = []
    i = 1
    while (v := self[i]) is not None:
        items.append(lua_tostring(v))
        i += 1
    if _nmap.debugging() > 0:
        return banner + sep + sep.join(items)
    if _nmap.verbosity() > 0:
        return banner + ": " + (items[0] if items else "")
    return ""


_OOPS = LuaTable.from_dict({"push": _oops_push, "__tostring": _oops_tostring})
_OOPS["__index"] = _OOPS


def _has_push(v: Any) -> bool:
    if not isinstance(v, LuaTable):
        return False
    if v["push"] is not None:
        return True
    mt = v.meta
    idx = mt["__index"] if mt is not None else None
    return isinstance(idx, LuaTable) and idx["push"] is not None


def _err(message: Any, previous: Any = None) -> Any:
    mod = _oops_module()
    if mod is not None:
        return mod["err"](message, previous)
    if previous is not None and previous is not False:
        if _has_push(previous):
            result = previous
        else:
            result = LuaTable.from_list([previous])
            result.meta = _OOPS
        _oops_push(result, message)
        return result
    if _has_push(message):
        return message
    result = LuaTable.from_list([message])
    result.meta = _OOPS
    return result


def _raise(message: Any, status: Any = None, previous: Any = None, *rest: Any) -> tuple[Any, ...]:
    """oops.raise: on failure wrap ``previous`` with ``message``; values pass through."""
    r = previous
    if status is None or status is False:
        r = _err(message, previous)
    return (status, r, *rest)


def _mv(v: Any) -> tuple[Any, ...]:
    return v if type(v) is tuple else (v,)


# ------------------------------------------------------------------------- comm


def _opt(opts: Any, name: str) -> Any:
    return opts[name] if isinstance(opts, LuaTable) else None


def _get_timeouts(host: Any, opts: Any) -> tuple[Any, Any]:
    from nse.lua.ops import add

    if _opt(opts, "connect_timeout"):
        connect_timeout = opts["connect_timeout"]
    elif _opt(opts, "timeout"):
        connect_timeout = opts["timeout"]
    else:
        connect_timeout = _stdnse.get_timeout(host)
    if _opt(opts, "request_timeout"):
        request_timeout = opts["request_timeout"]
    elif _opt(opts, "timeout"):
        request_timeout = opts["timeout"]
    else:
        request_timeout = REQUEST_TIMEOUT
    return connect_timeout, add(request_timeout, connect_timeout)


def _setup_connect(host: Any, port: Any, opts: LuaTable) -> tuple[Any, ...]:
    sock = _nmap.new_socket()
    connect_timeout, request_timeout = _get_timeouts(host, opts)
    sock.set_timeout(connect_timeout)
    if isinstance(host, str) and _opt(opts, "any_af"):
        r = _mv(_nmap.resolve(host))
        if r[0]:
            host = LuaTable.from_dict({"ip": r[1][1], "targetname": host})
    r = _mv(sock.connect(host, port, opts["proto"]))
    if not r[0]:
        sock.close()
        return _raise("Could not connect", r[0], r[1] if len(r) > 1 else None)
    sock.set_timeout(request_timeout)
    return True, sock


def _read(sock: Any, opts: LuaTable) -> tuple[Any, ...]:
    if _opt(opts, "lines"):
        return _raise("receive_lines failed", *_mv(sock.receive_lines(opts["lines"])))
    if _opt(opts, "bytes"):
        return _raise("receive_bytes failed", *_mv(sock.receive_bytes(opts["bytes"])))
    return _raise("receive failed", *_mv(sock.receive()))


def get_banner(host: Any = None, port: Any = None, opts: Any = None, *_: Any) -> Any:
    """Connect (trying SSL when it looks right) and return ``true, banner``."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    opts["recv_before"] = True
    r = _raise("tryssl failed", *_mv(tryssl(host, port, None, opts)))
    socket, errmsg = r[0], r[1] if len(r) > 1 else None
    banner = r[3] if len(r) > 3 else None
    if socket is not None and socket is not False:
        socket.close()
        return True, banner
    return False, errmsg


def exchange(
    host: Any = None, port: Any = None, data: Any = None, opts: Any = None, *_: Any
) -> Any:
    """Connect, send ``data``, read the answer: ``true, response`` or ``false, err``."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    r = _setup_connect(host, port, opts)
    if not r[0]:
        return _raise("Failed to connect", r[0], r[1])
    sock = r[1]
    s = _mv(sock.send(data))
    if not s[0]:
        sock.close()
        return _raise("Failed to send", s[0], s[1] if len(s) > 1 else None)
    rr = _read(sock, opts)
    sock.close()
    return _raise("Failed to read", *rr)


def _is_ssl(port: LuaTable) -> Any:
    from nse.lib import shortport

    return shortport.ssl(None, port)


def _bestoption(port: Any) -> tuple[str, str]:
    if isinstance(port, LuaTable):
        if port["protocol"] == "udp":
            _stdnse.debug2("DTLS (SSL over UDP) is not supported")
            return "udp", "udp"
        v = port["version"]
        if isinstance(v, LuaTable) and v["service_tunnel"] == "ssl":
            return "ssl", "tcp"
        if (
            isinstance(v, LuaTable)
            and isinstance(v["name_confidence"], int | float)
            and v["name_confidence"] > 6
        ):
            return "tcp", "ssl"
        p = LuaTable.from_dict(
            {
                "number": port["number"],
                "service": port["service"],
                "protocol": port["protocol"] or "tcp",
                "state": port["state"] or "open",
                "version": v,
            }
        )
        if _is_ssl(p):
            return "ssl", "tcp"
    elif isinstance(port, int | float) and not isinstance(port, bool):
        if _is_ssl(LuaTable.from_dict({"number": port, "protocol": "tcp", "state": "open"})):
            return "ssl", "tcp"
    return "tcp", "ssl"


def opencon(host: Any = None, port: Any = None, data: Any = None, opts: Any = None, *_: Any) -> Any:
    """Connect, optionally read first, send ``data`` and read: ``sd, response, early``."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    r = _setup_connect(host, port, opts)
    if not r[0]:
        return _raise("Failed to connect", False, r[1])
    status: Any = True
    sd = r[1]
    response = early_resp = None
    if _opt(opts, "recv_before"):
        rr = _raise("read failed", *_read(sd, opts))
        status, early_resp = rr[0], rr[1]
    if isinstance(data, str) and len(data) > 0:
        sd.send(data)
        rr = _raise("receive failed", *_mv(sd.receive()))
        status, response = rr[0], rr[1]
    else:
        response = early_resp
    if not status:
        sd.close()
    return (sd if status else status), response, early_resp


def tryssl(host: Any = None, port: Any = None, data: Any = None, opts: Any = None, *_: Any) -> Any:
    """opencon with the likelier of SSL and plain TCP first, then the other."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    if data is None and not _opt(opts, "recv_before"):
        _stdnse.debug1(
            "Using comm.tryssl without either first data payload or "
            "opts.recv_before.\nImpossible to test the connection for the "
            "correct protocol!"
        )
    opt1, opt2 = _bestoption(port)
    best = opt1
    if opts["proto"] == "udp":
        _stdnse.debug2("DTLS (SSL over UDP) is not supported")
    opts["proto"] = opt1
    r = _raise(f"{opt1} failed", *_mv(opencon(host, port, data, opts)))
    sd, response, early = (r + (None, None, None))[:3]
    if (sd is None or sd is False) and opt1 != "udp":
        opts["proto"] = opt2
        r = _raise(f"{opt2} failed", *_mv(opencon(host, port, data, opts)))
        sd, response, early = (r + (None, None, None))[:3]
        best = opt2
    if sd is None or sd is False:
        best = "none"
    return sd, response, best, early
