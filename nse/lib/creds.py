"""``require "creds"``: the credentials store of nmap's creds.lua.

The classes are Lua tables (``creds.Credentials:new(tags, host, port)`` from Lua,
``creds.Credentials.new(creds.Credentials, ...)`` from Python) whose methods are Python
functions taking ``self`` first.  Credentials live in the registry table ``creds``
(``_host.registry()``, the engine's ``nmap.registry`` once wired).  Iterators are plain
Lua-callable functions returning the next credential table (nil at the end), which a
Lua generic ``for`` consumes as it consumes nselib's coroutine.wrap iterators.

Script arguments ``creds.global`` and ``creds.<service>`` are read through
``_host.script_args()`` for the ``State.PARAM`` credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from nse.lib import _host, _rt, ipOps
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.ops import truth as _truth

__all__ = ["State", "StateMsg", "ALL_DATA", "RegStorage", "Account", "Credentials"]

State = LuaTable.from_dict(
    {
        "LOCKED": 1, "VALID": 2, "DISABLED": 4, "CHANGEPW": 8, "PARAM": 16, "EXPIRED": 32,
        "TIME_RESTRICTED": 64, "HOST_RESTRICTED": 128, "LOCKED_VALID": 256,
        "DISABLED_VALID": 512, "HASHED": 1024,
    }
)  # fmt: skip

StateMsg = LuaTable.from_dict(
    {
        1: "Account is locked",
        2: "Valid credentials",
        4: "Account is disabled",
        8: "Valid credentials, password must be changed at next logon",
        16: "Credentials passed to script during Nmap execution",
        32: "Valid credentials, account expired",
        64: "Valid credentials, account cannot log in at current time",
        128: "Valid credentials, account cannot log in from current host",
        256: "Valid credentials, account locked",
        512: "Valid credentials, account disabled",
        1024: "Hashed valid or invalid credentials",
    }
)

#: Pass as the tags to see the credentials of every script.
ALL_DATA = LuaTable()


def _new_instance(cls: LuaTable, o: LuaTable) -> LuaTable:
    # setmetatable(o, self); self.__index = self
    o.meta = cls
    cls["__index"] = cls
    return o


def _iterator(gen: Iterator[Any]) -> Callable[..., Any]:
    """A Lua iterator function over a Python generator (like coroutine.wrap)."""

    def it(*_: Any) -> Any:
        return next(gen, None)

    return it


# ---------------------------------------------------------------------------- RegStorage
def _reg_new(self: Any = None, *_: Any) -> LuaTable:
    o = _new_instance(self, LuaTable())
    o["filter"] = LuaTable()
    return o


def _reg_add(
    self: Any = None,
    tags: Any = None,
    host: Any = None,
    port: Any = None,
    service: Any = None,
    user: Any = None,
    pass_: Any = None,
    state: Any = None,
    *_: Any,
) -> tuple[()]:
    cred = LuaTable.from_dict(
        {"tags": tags, "host": host, "port": port, "service": service, "user": user,
         "pass": pass_, "state": state}
    )  # fmt: skip
    reg = _host.registry()
    if not _truth(reg["creds"]):
        reg["creds"] = LuaTable()
    _rt.insert(reg["creds"], cred)
    return ()


def _reg_set_filter(
    self: Any = None, host: Any = None, port: Any = None, state: Any = None, *_: Any
) -> tuple[()]:
    f = ops.index(self, "filter")
    ops.setindex(f, "host", host)
    ops.setindex(f, "port", port)
    ops.setindex(f, "state", state)
    return ()


def _reg_get_all(self: Any = None, *_: Any) -> Callable[..., Any]:
    def gen() -> Iterator[Any]:
        f = ops.index(self, "filter")
        host, port, fstate = ops.index(f, "host"), ops.index(f, "port"), ops.index(f, "state")
        creds = _host.registry()["creds"]
        if not _truth(creds):
            return
        for _k, v in list(creds.items()):
            h = (
                ops.index(ops.index(v, "host"), "ip")
                if isinstance(ops.index(v, "host"), LuaTable)
                else None
            )
            if not _truth(h):
                h = ops.index(v, "host")
            vstate = ops.index(v, "state")
            state_ok = not _truth(fstate) or ops.eq(vstate, fstate)
            host_match = _truth(host) and (
                ops.eq(h, host) or (isinstance(host, LuaTable) and ops.eq(h, ops.index(host, "ip")))
            )
            if not _truth(host) and not _truth(port):
                if state_ok:
                    yield v
            elif not _truth(host) and ops.eq(port, ops.index(v, "port")):
                if state_ok:
                    yield v
            elif host_match and not _truth(port):
                if state_ok:
                    yield v
            elif host_match and ops.eq(ops.index(port, "number"), ops.index(v, "port")):
                if not _truth(fstate) or ops.eq(vstate, ops.band(fstate, vstate)):
                    yield v

    return _iterator(gen())


RegStorage = LuaTable.from_dict(
    {"new": _reg_new, "add": _reg_add, "setFilter": _reg_set_filter, "getAll": _reg_get_all}
)


# ---------------------------------------------------------------------------- Account
def _acct_new(
    self: Any = None, username: Any = None, password: Any = None, state: Any = None, *_: Any
) -> LuaTable:
    msg = StateMsg[state] if state is not None else None
    o = LuaTable.from_dict(
        {"username": username, "password": password, "state": msg if _truth(msg) else state}
    )
    return _new_instance(self, o)


def _acct_tostring(self: Any = None, *_: Any) -> str:
    user = ops.index(self, "username")
    pw = ops.index(self, "password")
    st = ops.index(self, "state")
    s = ops.concat(user, ":") if _truth(user) else ""
    # (self.password ~= "" and self.password or "<empty>")
    s = ops.concat(s, pw if not ops.eq(pw, "") and _truth(pw) else "<empty>")
    if _truth(st):
        s = ops.concat(s, ops.concat(" - ", st))
    return s  # type: ignore[no-any-return]


def _acct_lt(a: Any = None, b: Any = None, *_: Any) -> bool:
    for k in ("user", "pass", "state"):
        x, y = ops.index(a, k), ops.index(b, k)
        if _truth(x) and _truth(y) and ops.ge(x, y):
            return False
    return True


Account = LuaTable.from_dict({"new": _acct_new, "__tostring": _acct_tostring, "__lt": _acct_lt})


# ---------------------------------------------------------------------------- Credentials
def _cred_new(
    self: Any = None, tags: Any = None, host: Any = None, port: Any = None, *_: Any
) -> LuaTable:
    o = _new_instance(self, LuaTable())
    storage = _reg_new(RegStorage)
    _reg_set_filter(storage, host, port)
    o["storage"] = storage
    o["host"] = host
    # o.port = (port and port.number) and port.number, same for service
    o["port"] = ops.index(port, "number") if _truth(port) else port
    o["service"] = ops.index(port, "service") if _truth(port) else port
    if not isinstance(tags, LuaTable):
        tags = LuaTable.from_list([tags])
    o["tags"] = tags
    return o


def _cred_add(
    self: Any = None, user: Any = None, pass_: Any = None, state: Any = None, *_: Any
) -> tuple[()]:
    p = pass_ if _truth(pass_) and ops.length(pass_) > 0 else "<empty>"
    for field, msg in (("host", "No host supplied"), ("port", "No port supplied")):
        if not _truth(ops.index(self, field)):
            lua_error(msg)
    if not _truth(state):
        lua_error("No state supplied")
    if not _truth(ops.index(self, "tags")):
        lua_error("No tags supplied")
    if _truth(user) or _truth(p):
        storage = ops.index(self, "storage")
        ops.invoke(
            storage, "add", ops.index(self, "tags"), ops.index(self, "host"),
            ops.index(self, "port"), ops.index(self, "service"), user, p, state,
        )  # fmt: skip
    return ()


def _cred_get_credentials(self: Any = None, state: Any = None, *_: Any) -> Callable[..., Any]:
    def gen() -> Iterator[Any]:
        storage = ops.index(self, "storage")
        if _truth(state):
            port = LuaTable.from_dict(
                {"number": ops.index(self, "port"), "service": ops.index(self, "service")}
            )
            ops.invoke(storage, "setFilter", ops.index(self, "host"), port, state)
        it = ops.first(ops.invoke(storage, "getAll"))
        tags = ops.index(self, "tags")
        while True:
            cred = ops.first(ops.call(it))
            if cred is None:
                break
            if tags is ALL_DATA:
                yield cred
            for _k, stag in list(tags.items()):
                for _j, ctag in list(ops.index(cred, "tags").items()):
                    if ops.eq(stag, ctag):
                        yield cred
        if _truth(state) and ops.eq(State["PARAM"], ops.band(state, State["PARAM"])):
            args = _host.script_args()
            g = args["creds.global"]
            svc = ops.index(self, "service")
            s = args["creds." + ops.tostring(svc)] if _truth(svc) else None
            params = s if _truth(s) else None
            if _truth(g) and _truth(s):
                params = ops.concat(ops.concat(params, ","), g)
            elif _truth(g):
                params = g
            if not _truth(params):
                return
            from nse.lib import stringaux

            for _i, c in stringaux.strsplit(",", params).items():
                if ":" in c:
                    i = c.index(":")  # "^(.-):(.-)$": up to the first colon
                    user, pw = c[:i], c[i + 1 :]
                else:
                    user, pw = c, None
                yield LuaTable.from_dict(
                    {"host": ops.index(self, "host"), "port": ops.index(self, "port"),
                     "user": user, "pass": pw, "state": State["PARAM"], "service": svc}
                )  # fmt: skip

    return _iterator(gen())


def _sorted_pairs(less: Callable[[Any, Any], bool]) -> Callable[..., Any]:
    def __pairs(t: Any = None, *_: Any) -> Any:
        order = LuaTable.from_list(list(t.keys()))
        _rt.sort(order, lambda a=None, b=None, *_: less(a, b))
        keys = order.to_list()

        def gen() -> Iterator[Any]:
            for k in keys:
                yield k, t[k]

        g = gen()

        def it(*_: Any) -> Any:
            r = next(g, None)
            return () if r is None else r

        return it

    return __pairs


def _port_key(s: str) -> Any:
    import re

    m = re.match(r"\d+", s)
    return ops.tonumber(m.group()) if m else None


def _cred_get_table(self: Any = None, *_: Any) -> Any:
    result = LuaTable()
    it = _cred_get_credentials(self)
    while (v := it()) is not None:
        host = ops.index(v, "host")
        h = ops.index(host, "ip") if isinstance(host, LuaTable) else None
        if not _truth(h):
            h = host
        if not isinstance(h, str):
            lua_error("Could not determine a valid host")
        svc = f"{ops.tostring(ops.index(v, 'port'))}/{ops.tostring(ops.index(v, 'service'))}"
        if result[h] is None:
            result[h] = LuaTable()
        if result[h][svc] is None:
            result[h][svc] = LuaTable()
        user = ops.index(v, "user")
        _rt.insert(
            result[h][svc],
            _acct_new(Account, user if not ops.eq(user, "") else None, ops.index(v, "pass"),
                      ops.index(v, "state")),
        )  # fmt: skip
    for _h, host_tbl in list(result.items()):
        for _s, svc_tbl in list(host_tbl.items()):
            _rt.sort(svc_tbl)
        host_tbl.meta = LuaTable.from_dict(
            {"__pairs": _sorted_pairs(lambda a, b: ops.lt(_port_key(a), _port_key(b)))}
        )
    result.meta = LuaTable.from_dict(
        {"__pairs": _sorted_pairs(lambda a, b: bool(ops.first(ipOps.compare_ip(a, "le", b))))}
    )
    if _truth(ops.index(self, "host")) and result.next() is not None:
        result = result.next()[1]  # type: ignore[index]
    if (
        _truth(ops.index(self, "host"))
        and _truth(ops.index(self, "port"))
        and result.next() is not None
    ):
        result = result.next()[1]  # type: ignore[index]
    return result if result.next() is not None else None  # next(result) and result


def _cred_save_to_file(
    self: Any = None, filename: Any = None, fileformat: Any = None, *_: Any
) -> Any:
    name = ops.concat(filename, ".csv" if fileformat == "csv" else ".txt")
    try:
        f = open(name.encode("latin-1"), "wb")  # noqa: SIM115 - closed below
    except OSError:
        return False, f"ERROR: Failed to open file ({name})"
    with f:
        it = _cred_get_credentials(self)
        while (acct := it()) is not None:
            user, pw = ops.index(acct, "user"), ops.index(acct, "pass")
            msg = StateMsg[ops.index(acct, "state")]
            if fileformat == "csv":
                line = ops.concat(
                    ops.concat(
                        ops.concat(ops.concat(ops.concat(ops.concat('"', user), '","'), pw), '","'),
                        msg,
                    ),
                    '"',
                )
            elif fileformat == "verbose":
                line = ops.concat(ops.concat(ops.concat(ops.concat(user, ":"), pw), ":"), msg)
            else:
                line = ops.concat(ops.concat(user, ":"), pw)
            try:
                f.write((line + "\n").encode("latin-1"))
            except OSError:
                return False, f"ERROR: Failed to write file ({name})"
    return True


def _cred_tostring(self: Any = None, *_: Any) -> Any:
    t = ops.invoke(self, "getTable")
    t = ops.first(t)
    if _truth(t):
        return ops.tostring(t)
    return ()


Credentials = LuaTable.from_dict(
    {
        "new": _cred_new, "add": _cred_add, "getCredentials": _cred_get_credentials,
        "getTable": _cred_get_table, "saveToFile": _cred_save_to_file,
        "__tostring": _cred_tostring,
    }
)  # fmt: skip
