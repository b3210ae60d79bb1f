"""``require "brute"``: the password-guessing engine of nmap's brute.lua.

A script gives a ``Driver`` class (a Lua table with ``new(self, host, port, options)``,
``connect``, ``login(username, password)``, ``disconnect`` and optionally ``check``) to
``brute.Engine:new(Driver, host, port, options)``, sets ``engine.options.script_name``
and calls ``engine:start()``, which returns ``true, result`` (or ``false, result`` with
``result.ERROR``) where ``result`` is an output table with ``Accounts`` (the found
credentials, as ``creds.Credentials:getTable()``) and ``Statistics`` ("Performed N
guesses in S seconds, average tps: X"), as nmap prints it.

Workers are ``stdnse.new_thread`` threads synchronised by one ``nmap.condvar``, like
nmap's: start with ``brute.start`` (5) threads, grow to ``brute.threads`` (20) while
batches of three threads finish without errors, drop one thread on a protocol error
(``Error:setReduce``) or connection error (through ``brute.new_socket``), retry failed
guesses (``brute.retries``), stop on ``Error:setAbort`` (the message becomes ``ERROR``),
``Error:setDone``, ``brute.firstonly``, ``brute.guesses`` per account, exhausted
credentials.  Script arguments: ``brute.emptypass useraspass firstonly passonly
killstagnated retries delay guesses threads start mode credfile``.

Differences from nmap, known: ``nmap.socket.get_stats()`` (connect_waiting) is not
consulted (our engine has no such statistic yet: taken as 0); the per-thread data is
keyed by the worker's Lua thread value (``stdnse.base()``), nmap's by
``coroutine.running()``: the same inside a worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from nse.lib import _rt, creds, nmap, stdnse, unpwdb
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.ops import truth as _truth

__all__ = [
    "Options", "Error", "Batch", "Engine", "Iterators", "usernames_iterator",
    "passwords_iterator", "new_socket", "BruteSocket", "checkwrap",
]  # fmt: skip


def _class(methods: dict[str, Any]) -> LuaTable:
    return LuaTable.from_dict(methods)


def _instance(cls: Any, o: LuaTable) -> LuaTable:
    # setmetatable(o, self); self.__index = self
    o.meta = cls
    cls["__index"] = cls
    return o


def _tonumber(v: Any) -> Any:
    return stdnse._tonumber(v)


# ------------------------------------------------------------------------------ Options
def _bool_arg(arg: Any = None, default: Any = None, *_: Any) -> bool:
    val = stdnse.script_arg(arg, default)
    return val == "true" or val is True or _tonumber(val) == 1


def _opt_new(self: Any = None, *_: Any) -> LuaTable:
    o = _instance(self, LuaTable())
    o["emptypass"] = _bool_arg("brute.emptypass", False)
    o["useraspass"] = _bool_arg("brute.useraspass", True)
    o["firstonly"] = _bool_arg("brute.firstonly", False)
    o["passonly"] = _bool_arg("brute.passonly", False)
    o["killstagnated"] = _bool_arg("brute.killstagnated", True)
    for key, arg, default in (("max_retries", "brute.retries", 2), ("delay", "brute.delay", 0),
                              ("max_guesses", "brute.guesses", 0)):  # fmt: skip
        n = _tonumber(stdnse.script_arg(arg))
        o[key] = n if n is not None else default
    return o


def _opt_set_mode(self: Any = None, mode: Any = None, *_: Any) -> Any:
    if mode not in ("password", "user", "creds"):
        stdnse.debug1("ERROR: brute.options.setMode: mode %s not supported", mode)
        return False, "Unsupported mode"
    self["mode"] = mode
    return True


def _opt_set_option(self: Any = None, param: Any = None, value: Any = None, *_: Any) -> tuple[()]:
    ops.setindex(self, param, value)
    return ()


def _opt_set_title(self: Any = None, title: Any = None, *_: Any) -> tuple[()]:
    self["title"] = title
    return ()


Options = _class(
    {"new": _opt_new, "checkBoolArg": _bool_arg, "setMode": _opt_set_mode,
     "setOption": _opt_set_option, "setTitle": _opt_set_title}
)  # fmt: skip


# -------------------------------------------------------------------------------- Error
def _err_new(self: Any = None, msg: Any = None, *_: Any) -> LuaTable:
    return _instance(self, LuaTable.from_dict({"msg": msg, "done": False}))


def _getter(field: str) -> Callable[..., Any]:
    def get(self: Any = None, *_: Any) -> Any:
        return ops.index(self, field)

    return get


def _setter(field: str) -> Callable[..., Any]:
    def set_(self: Any = None, v: Any = None, *_: Any) -> tuple[()]:
        ops.setindex(self, field, v)
        return ()

    return set_


def _err_is_reduce(self: Any = None, *_: Any) -> bool:
    return _truth(ops.index(self, "reduce"))


Error = _class(
    {
        "retry": False, "new": _err_new, "isRetry": _getter("retry"),
        "setRetry": _setter("retry"), "setAbort": _setter("abort"),
        "isAbort": _getter("abort"), "getMessage": _getter("msg"),
        "isDone": _getter("done"), "setDone": _setter("done"),
        "setInvalidAccount": _setter("invalid_account"),
        "isInvalidAccount": _getter("invalid_account"), "setReduce": _setter("reduce"),
        "isReduce": _err_is_reduce,
    }
)  # fmt: skip


# -------------------------------------------------------------------------------- Batch
def _batch_new(self: Any = None, lim: Any = None, stime: Any = None, *_: Any) -> LuaTable:
    return _instance(
        self,
        LuaTable.from_dict(
            {
                "limit": lim if _truth(lim) else 3,
                "full": False,
                "data": LuaTable(),
                "size": 0,
                "start_time": stime if _truth(stime) else 0,
            }
        ),  # fmt: skip
    )


def _batch_add(self: Any = None, obj: Any = None, *_: Any) -> bool:
    if self["size"] < self["limit"]:
        self["data"][self["size"] + 1] = obj
        self["size"] = self["size"] + 1
        return True
    return False


def _batch_is_full(self: Any = None, *_: Any) -> bool:
    return bool(self["size"] >= self["limit"])


Batch = _class(
    {"new": _batch_new, "add": _batch_add, "isFull": _batch_is_full,
     "getData": _getter("data"), "getSize": _getter("size"),
     "getStartTime": _getter("start_time"), "getLimit": _getter("limit"),
     "setLimit": _setter("limit")}
)  # fmt: skip


# ---------------------------------------------------------------------------- iterators
def _lua_iter(gen: Iterator[tuple[Any, Any]]) -> Callable[..., Any]:
    """A Lua iterator over pairs; after the end it keeps returning nil, nil (as nmap's
    coroutine.wrap iterators, which loop on ``yield(nil, nil)``)."""

    def it(*_: Any) -> Any:
        return next(gen, (None, None))

    return it


def _values(it: Any) -> Iterator[Any]:
    """``for v in it do`` over a Lua iterator function."""
    while True:
        v = ops.first(ops.call(it))
        if v is None:
            return
        yield v


def _account_iterator(users: Any = None, pass_: Any = None, mode: Any = None, *_: Any) -> Any:
    def gen() -> Iterator[tuple[Any, Any]]:
        u = unpwdb.table_iterator(users) if isinstance(users, LuaTable) else users
        p = unpwdb.table_iterator(pass_) if isinstance(pass_, LuaTable) else pass_
        if mode == "pass":
            outer, inner = p, u
        elif mode == "user":
            outer, inner = u, p
        else:
            return
        for o in _values(outer):
            for i in _values(inner):
                yield (i, o) if mode == "pass" else (o, i)
            ops.call(inner, "reset")

    return _lua_iter(gen())


def _user_pw(users: Any = None, pass_: Any = None, *_: Any) -> Any:
    return _account_iterator(users, pass_, "user")


def _pw_user(users: Any = None, pass_: Any = None, *_: Any) -> Any:
    return _account_iterator(users, pass_, "pass")


def _lua_upper(s: Any) -> Any:
    return ops.first(ops.call(_rt.STRING["upper"], s))


def _lua_lower(s: Any) -> Any:
    return ops.first(ops.call(_rt.STRING["lower"], s))


def _pw_same_as_user(users: Any = None, case: Any = None, *_: Any) -> Any:
    def gen() -> Iterator[tuple[Any, Any]]:
        for user in _values(users):
            if case == "upper":
                yield user, _lua_upper(user)
            elif case == "lower":
                yield user, _lua_lower(user)
            else:
                yield user, user
        ops.call(users, "reset")

    return _lua_iter(gen())


def _pw_ucase(users: Any = None, passwords: Any = None, mode: Any = None, *_: Any) -> Any:
    def gen() -> Iterator[tuple[Any, Any]]:
        it = _account_iterator(users, passwords, mode)
        while True:
            u, p = _two(ops.call(it))
            if u is None:
                return
            yield u, _lua_upper(p)

    return _lua_iter(gen())


def _two(r: Any) -> tuple[Any, Any]:
    t = ops.mv(r)
    return (t[0] if t else None, t[1] if len(t) > 1 else None)


def _credential_iterator(f: Any = None, *_: Any) -> Any:
    def gen() -> Iterator[tuple[Any, Any]]:
        lines = ops.invoke(f, "lines")
        while True:
            line = ops.first(ops.call(lines))
            if line is None:
                break
            if line.startswith("#!comment:"):
                continue
            line = line.strip(" \t\n\r\f\v")
            slash = line.find("/")
            # Lua "^([^%/]*)%/(.*)$": user up to the first slash; nil, nil without one
            yield (line[:slash], line[slash + 1 :]) if slash >= 0 else (None, None)
        ops.invoke(f, "close")

    return _lua_iter(gen())


def _lines_file(lines: list[str]) -> LuaTable:
    """A minimal Lua file-like table (``lines``, ``close``) over lines read in Python."""
    it = iter(lines)
    return LuaTable.from_dict(
        {"lines": lambda *_: lambda *_: next(it, None), "close": lambda *_: ()}
    )


def _unpwdb_iterator(mode: Any = None, *_: Any) -> Any:
    st, users = unpwdb.usernames()
    if not st:
        return ()
    st, passwords = unpwdb.passwords()
    if not st:
        return ()
    return _account_iterator(users, passwords, mode)


Iterators = _class(
    {"account_iterator": _account_iterator, "user_pw_iterator": _user_pw,
     "pw_user_iterator": _pw_user, "pw_same_as_user_iterator": _pw_same_as_user,
     "pw_ucase_iterator": _pw_ucase, "credential_iterator": _credential_iterator,
     "unpwdb_iterator": _unpwdb_iterator}
)  # fmt: skip


def usernames_iterator(*_: Any) -> Any:
    """unpwdb's username iterator, or an error message string."""
    st, it = unpwdb.usernames()
    if not st:
        return it if _truth(it) else "Failed to load usernames"
    return it


def passwords_iterator(*_: Any) -> Any:
    """unpwdb's password iterator, or an error message string."""
    st, it = unpwdb.passwords()
    if not st:
        return it if _truth(it) else "Failed to load passwords"
    return it


# ------------------------------------------------------------------------------- Engine
#: worker thread value -> engine table (nmap: Engine.THREAD_TO_ENGINE, weak keys)
_THREAD_TO_ENGINE: dict[int, tuple[Any, LuaTable]] = {}
#: id(engine table) -> {thread value id: (thread, data table)}
_THREADS: dict[int, dict[int, tuple[Any, LuaTable]]] = {}


def _running() -> Any:
    return stdnse.base()


def _dead(co: Any) -> bool:
    return getattr(co, "status", "dead") == "dead"


def _eng_new(
    self: Any = None, driver: Any = None, host: Any = None, port: Any = None,
    options: Any = None, *_: Any,
) -> LuaTable:  # fmt: skip
    o = LuaTable.from_dict(
        {"driver": driver, "host": host, "port": port, "driver_options": options,
         "terminate_all": False, "counter": 0, "threads": LuaTable(), "tps": LuaTable(),
         "usernames": usernames_iterator(), "passwords": passwords_iterator(),
         "found_accounts": LuaTable(), "account_guesses": LuaTable(),
         "options": _opt_new(Options), "retry_accounts": LuaTable(),
         "initial_accounts_exhausted": False, "tick": 0}
    )  # fmt: skip
    _instance(self, o)
    n = _tonumber(stdnse.script_arg("brute.threads"))
    o["max_threads"] = n if n is not None else 20
    n = _tonumber(stdnse.script_arg("brute.start"))
    o["start_threads"] = n if n is not None else 5
    _THREADS[id(o)] = {}
    return o


def _threads(self: LuaTable) -> dict[int, tuple[Any, LuaTable]]:
    return _THREADS.setdefault(id(self), {})


def _eng_thread_count(self: Any = None, *_: Any) -> int:
    th = _threads(self)
    for k, (co, _d) in list(th.items()):
        if _dead(co):
            del th[k]
    return len(th)


def _eng_active_threads(self: Any = None, *_: Any) -> int:
    return sum(1 for _co, d in _threads(self).values() if d["guesses"] is not None)


def _eng_get_next_credential(self: Any = None, *_: Any) -> Callable[..., Any]:
    def gen() -> Iterator[tuple[Any, Any]]:
        it = ops.index(self, "iterator")
        while True:
            user, pw = _two(ops.call(it))
            if user is None:
                return
            used = self["used_creds"]
            if not _truth(used):
                used = self["used_creds"] = LuaTable()
            pw = pw if pw is not None else "nil"
            key = ops.concat(user, pw)
            if not _truth(used[key]):
                used[key] = True
                yield user, pw

    return _lua_iter(gen())


def _thread_data(co: Any) -> Any:
    ent = _THREAD_TO_ENGINE.get(id(co))
    if ent is None:
        stdnse.debug1("WARNING: No engine associated with %s", ops.tostring(co))
        return None
    for c, d in _threads(ent[1]).values():
        if c is co:
            return d
    return None


def _get_engine(co: Any = None, *_: Any) -> Any:
    ent = _THREAD_TO_ENGINE.get(id(co))
    if ent is None:
        stdnse.debug1("WARNING: No engine associated with %s", ops.tostring(_running()))
        return None
    return ent[1]


def _get_thread_data(co: Any = None, *_: Any) -> Any:
    return _thread_data(co)


def _driver(self: LuaTable) -> Any:
    drv = self["driver"]
    return ops.first(ops.invoke(drv, "new", self["host"], self["port"], self["driver_options"]))


def _eng_do_authenticate(self: Any = None, *_: Any) -> Any:
    opts = self["options"]
    next_cred = _eng_get_next_credential(self)
    tries = ops.index(opts, "max_retries") + 1
    username: Any = None
    password: Any = None
    tdata = _thread_data(_running())
    if tdata is None:
        lua_error("Unknown coroutine is running")
    status: Any = False
    response: Any = None
    while True:
        drv = _driver(self)
        status, response = _two(ops.invoke(drv, "connect"))
        if not _truth(status):
            if _truth(response) and not _truth(ops.index(response, "isReduce")):
                response = _err_new(Error, ops.concat("Connect error: ", response))
                response["retry"] = True
            if _truth(response) and _truth(ops.first(ops.invoke(response, "isReduce"))):
                return False, response, LuaTable.from_dict({"connect_phase": True})
        else:
            if username is None and password is None:
                while True:
                    retry = self["retry_accounts"]
                    n = retry.length()
                    if n > 0:
                        last = retry[n]
                        username, password = last["username"], last["password"]
                        _rt.TABLE["remove"](retry, n)
                    else:
                        username, password = _two(next_cred())
                    tdata["username"], tdata["password"] = username, password
                    if username is None and password is None:
                        ops.invoke(drv, "disconnect")
                        self["initial_accounts_exhausted"] = True
                        return False
                    found = self["found_accounts"]
                    maxg = ops.index(opts, "max_guesses")
                    g = self["account_guesses"][username]
                    if (not _truth(found) or not _truth(found[username])) and (
                        maxg == 0 or not _truth(g) or maxg > g
                    ):
                        break
                g = self["account_guesses"][username]
                self["account_guesses"][username] = g + 1 if _truth(g) else 1
            if _truth(Engine["terminate_all"]):
                ops.invoke(drv, "disconnect")
                return False
            shown = password if len(password) > 0 else "<empty>"
            c = f"{username}/{shown}" if username and len(username) > 0 else shown
            msg = "Re-trying" if tries <= ops.index(opts, "max_retries") else "Trying"
            stdnse.debug2("%s %s against %s:%d", msg, c, ops.index(self["host"], "ip"),
                          ops.index(self["port"], "number"))  # fmt: skip
            status, response = _two(ops.invoke(drv, "login", username, password))
            ops.invoke(drv, "disconnect")
            if (not _truth(status) and _truth(response)
                    and _truth(ops.first(ops.invoke(response, "isReduce")))):  # fmt: skip
                return (
                    False,
                    response,
                    LuaTable.from_dict({"username": username, "password": password}),
                )
        tries -= 1
        if _truth(status) or tries <= 0:
            break
        if _truth(response) and not _truth(ops.first(ops.invoke(response, "isRetry"))):
            break
    self["counter"] = self["counter"] + 1
    return status, response


def _eng_login(self: Any = None, cvar: Any = None, *_: Any) -> tuple[()]:
    condvar = nmap.condvar(cvar)
    me = _running()
    tdata = _thread_data(me)
    opts = self["options"]
    interval_start = int(time.time())
    while True:
        if (_truth(self["terminate_all"]) or _truth(tdata["terminate"])
                or (_truth(self["initial_accounts_exhausted"])
                    and self["retry_accounts"].length() == 0)):  # fmt: skip
            break
        self["tick"] = self["tick"] + 1
        batch = self["batch"]
        if not _batch_is_full(batch) and not _truth(tdata["in_batch"]):
            _batch_add(batch, me)
            tdata["in_batch"] = True
            tdata["ready"] = False
        r = ops.mv(_eng_do_authenticate(self))
        status = r[0] if r else None
        response = r[1] if len(r) > 1 else None
        ret_creds: Any = r[2] if len(r) > 2 else None
        if _truth(tdata["in_batch"]):
            tdata["ready"] = True
        if _truth(status):
            user = ops.index(response, "username")
            found = self["found_accounts"]
            if not _truth(found) or found[user] is None:
                if not _truth(ops.index(opts, "nostore")):
                    c = ops.first(ops.invoke(creds.Credentials, "new",
                                             ops.index(opts, "script_name"), self["host"],
                                             self["port"]))  # fmt: skip
                    ops.invoke(c, "add", user, ops.index(response, "password"),
                               ops.index(response, "state"))  # fmt: skip
                else:
                    if not _truth(self["credstore"]):
                        self["credstore"] = LuaTable()
                    self["credstore"].append(ops.tostring(response))
                stdnse.debug1("Discovered account: %s", ops.tostring(response))
                if not _truth(ops.index(opts, "passonly")):
                    found[user] = True
                if _truth(ops.index(opts, "firstonly")):
                    self["terminate_all"] = True
        elif _truth(ret_creds):
            if not _truth(ret_creds["connect_phase"]):
                self["retry_accounts"].append(
                    LuaTable.from_dict(
                        {"username": ret_creds["username"], "password": ret_creds["password"]}
                    )
                )
            tdata["protocol_error"] = True
            condvar("signal")
            condvar("wait")
        elif _truth(response):
            if _truth(ops.first(ops.invoke(response, "isAbort"))):
                self["terminate_all"] = True
                self["error"] = ops.first(ops.invoke(response, "getMessage"))
                break
            if _truth(ops.first(ops.invoke(response, "isDone"))):
                break
            inv = ops.first(ops.invoke(response, "isInvalidAccount"))
            if _truth(inv):
                self["found_accounts"][inv] = True
        g = tdata["guesses"]
        tdata["guesses"] = g + 1 if _truth(g) else 1
        now = int(time.time())
        if now - interval_start > _STAT_INTERVAL:
            interval_start = now
            tps = self["counter"] / max(now - self["starttime"], 1)
            self["tps"].append(tps)
            stdnse.debug2("threads=%d,tps=%.1f", _eng_active_threads(self), tps)
        delay = ops.index(opts, "delay")
        if _truth(delay) and delay > 0:
            stdnse.sleep(delay)
        condvar("signal")
    condvar("signal")
    return ()


_STAT_INTERVAL = 20


def _eng_add_worker(self: Any = None, cvar: Any = None, *_: Any) -> Any:
    co = ops.mv(stdnse.new_thread(_eng_login, self, cvar))[0]
    _THREAD_TO_ENGINE[id(co)] = (co, self)
    _threads(self)[id(co)] = (
        co,
        LuaTable.from_dict({"running": True, "attempt": 0, "in_batch": False, "ready": False}),
    )
    return co


def _eng_add_worker_n(self: Any = None, cvar: Any = None, n: Any = None, *_: Any) -> tuple[()]:
    if not (isinstance(n, (int, float)) and n >= 0):
        lua_error("assertion failed!")
    for _i in range(int(n)):
        _eng_add_worker(self, cvar)
    return ()


def _eng_renew_batch(self: Any = None, *_: Any) -> tuple[()]:
    batch = self["batch"]
    if _truth(batch):
        th = _threads(self)
        data = batch["data"]
        for i in range(1, batch["size"] + 1):
            ent = th.get(id(data[i]))
            if ent is not None:
                ent[1]["in_batch"] = False
                ent[1]["ready"] = False
    self["batch"] = _batch_new(Batch, min(_eng_thread_count(self), 3), self["tick"])
    return ()


def _connect_waiting() -> int:
    return 0  # nmap.socket.get_stats() is not provided by our engine yet


def _eng_start(self: Any = None, *_: Any) -> Any:
    cvar = LuaTable()
    condvar = nmap.condvar(cvar)
    opts = self["options"]
    port = self["port"]
    if not _truth(ops.index(opts, "script_name")):
        lua_error("SCRIPT_NAME was not set in options.script_name")
    if not (_truth(ops.index(port, "number")) and _truth(ops.index(port, "protocol"))):
        lua_error("Invalid port table detected")
    if not _truth(ops.index(port, "service")):
        ops.setindex(port, "service", "unknown")
    if _truth(ops.index(_driver(self), "check")):
        st, resp = _two(ops.invoke(_driver(self), "check"))
        if not _truth(st):
            return False, resp
    usernames, passwords = self["usernames"], self["passwords"]
    if not callable(usernames) or isinstance(usernames, LuaTable):
        return False, "Invalid usernames iterator: " + ops.tostring(usernames)
    if not callable(passwords) or isinstance(passwords, LuaTable):
        return False, "Invalid passwords iterator: " + ops.tostring(passwords)
    mode = ops.index(opts, "mode")
    if not _truth(mode):
        mode = stdnse.script_arg("brute.mode")
    if not _truth(mode) and _truth(stdnse.script_arg("brute.credfile")):
        if _truth(stdnse.script_arg("userdb")) or _truth(stdnse.script_arg("passdb")):
            return (
                False,
                "\n  ERROR: brute.credfile can't be used in combination with userdb/passdb",
            )
        mode = "creds"
    if _truth(ops.index(opts, "passonly")):
        if not _truth(self["iterator"]):
            self["iterator"] = _user_pw(_lua_iter(iter([("", None)])), passwords)
    elif mode == "creds":
        credfile = stdnse.script_arg("brute.credfile")
        if not _truth(credfile):
            return False, "No credential file specified (see brute.credfile)"
        try:
            with open(credfile, encoding="latin-1", newline="") as fh:
                text = fh.read()
        except OSError:
            return False, f"Failed to open credfile ({credfile})"
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()  # f:lines() gives no empty line after the final newline
        f = _lines_file(lines)
        self["iterator"] = _credential_iterator(f)
    elif mode == "user":
        if not _truth(self["iterator"]):
            self["iterator"] = _user_pw(usernames, passwords)
    elif mode == "pass":
        if not _truth(self["iterator"]):
            self["iterator"] = _pw_user(usernames, passwords)
    elif _truth(mode):
        return False, "Unsupported mode: " + ops.tostring(mode)
    elif not _truth(self["iterator"]):
        self["iterator"] = _pw_user(usernames, passwords)
    plain = not _truth(mode) or mode in ("user", "pass")
    if plain and _truth(ops.index(opts, "useraspass")) and not _truth(ops.index(opts, "passonly")):
        self["iterator"] = unpwdb.concat_iterators(
            _pw_same_as_user(usernames, "lower"), self["iterator"]
        )
    if plain and _truth(ops.index(opts, "emptypass")):
        self["iterator"] = _account_iterator(
            usernames, _lua_iter(iter([("", None)])), mode if _truth(mode) else "pass"
        )
    self["starttime"] = int(time.time())
    start_threads = self["start_threads"] if _connect_waiting() == 0 else 1
    _eng_add_worker_n(self, cvar, start_threads)
    _eng_renew_batch(self)
    revive = False
    stagnation = 0
    quick_start = True
    while True:
        count = _eng_thread_count(self)
        if count <= 0:
            if (
                _truth(self["initial_accounts_exhausted"]) and self["retry_accounts"].length() == 0
            ) or _truth(self["terminate_all"]):
                break
            revive = True
        killed_one = False
        error_since_batch = False
        stagnated = True
        batch = self["batch"]
        for _co, v in list(_threads(self).values()):
            if not _truth(v["connection_error"]):
                stagnated = False
            if _truth(v["protocol_error"]) or _truth(v["connection_error"]):
                if v["attempt"] >= batch["start_time"]:
                    error_since_batch = True
                if not killed_one:
                    v["terminate"] = True
                    killed_one = True
                    kind = "PROTOCOL" if _truth(v["protocol_error"]) else "CONNECTION"
                    stdnse.debug2("Killed one thread because of %s exception", kind)
                v["protocol_error"] = None
                v["connection_error"] = None
        if stagnated:
            stagnation += 1
            if stagnation == 100:
                stdnse.debug1("WARNING: The service seems to have failed or is heavily "
                              "firewalled... Consider aborting.")  # fmt: skip
                if _truth(ops.index(opts, "killstagnated")):
                    self["error"] = "The service seems to have failed or is heavily firewalled..."
                    self["terminate_all"] = True
                stagnation = 0
        else:
            stagnation = 0
        if killed_one:
            quick_start = False
        batch = self["batch"]
        if (error_since_batch or (not killed_one and count < batch["limit"])
                or (count > 0 and self["tick"] - batch["start_time"] > 10)):  # fmt: skip
            _eng_renew_batch(self)
        batch = self["batch"]
        maxt = self["max_threads"]
        if (not killed_one and _batch_is_full(batch) and count < maxt) or revive:
            n = min(maxt - count, count) if quick_start else 1
            _eng_add_worker_n(self, cvar, max(n, 0))
            _eng_renew_batch(self)
            revive = False
        threads = _eng_thread_count(self)
        stdnse.debug2("Status: #threads = %d, #retry_accounts = %d, "
                      "initial_accounts_exhausted = %s, waiting = %d", threads,
                      self["retry_accounts"].length(),
                      ops.tostring(self["initial_accounts_exhausted"]), 0)  # fmt: skip
        if threads > 0:
            condvar("broadcast")
            condvar("wait")
    return _result(self)


def _result(self: LuaTable) -> Any:
    opts = self["options"]
    if not _truth(ops.index(opts, "nostore")):
        c = ops.first(ops.invoke(creds.Credentials, "new", ops.index(opts, "script_name"),
                                 self["host"], self["port"]))  # fmt: skip
        valid = ops.first(ops.invoke(c, "getTable"))
    else:
        valid = self["credstore"]
    result = stdnse.output_table()
    if _truth(valid) and ops.length(valid) > 0:
        title = ops.index(opts, "title")
        result[title if _truth(title) else "Accounts"] = valid
    else:
        result["Accounts"] = "No valid accounts found"
    tps_list = [v for _k, v in self["tps"].items()]
    total = sum(tps_list)
    diff = int(time.time()) - self["starttime"]
    diff = 1 if diff == 0 else diff
    tps = self["counter"] / diff if total == 0 else total / len(tps_list)
    result["Statistics"] = stdnse._fmt(
        "Performed %d guesses in %d seconds, average tps: %.1f", self["counter"], diff, tps
    )
    maxg = ops.index(opts, "max_guesses")
    if maxg > 0:
        for _u, g in self["account_guesses"].items():
            if g == maxg:
                result["Information"] = stdnse._fmt(
                    "Guesses restricted to %d tries per account to avoid lockout", maxg
                )
                break
    # forget this engine's workers (nmap's THREAD_TO_ENGINE has weak keys)
    for k in [k for k, (_c, e) in _THREAD_TO_ENGINE.items() if e is self]:
        del _THREAD_TO_ENGINE[k]
    _THREADS.pop(id(self), None)
    if _truth(self["error"]):
        result["ERROR"] = self["error"]
        return False, result
    return True, result


def _eng_set(field: str) -> Callable[..., Any]:
    def set_(self: Any = None, v: Any = None, *_: Any) -> tuple[()]:
        self[field] = v
        return ()

    return set_


Engine = _class(
    {
        "STAT_INTERVAL": _STAT_INTERVAL, "THREAD_TO_ENGINE": LuaTable(), "new": _eng_new,
        "setUsernameIterator": _eng_set("usernames"),
        "setPasswordIterator": _eng_set("passwords"), "setMaxThreads": _eng_set("max_threads"),
        "threadCount": _eng_thread_count, "activeThreads": _eng_active_threads,
        "get_next_credential": _eng_get_next_credential,
        "doAuthenticate": _eng_do_authenticate, "login": _eng_login,
        "addWorker": _eng_add_worker, "addWorkerN": _eng_add_worker_n,
        "renewBatch": _eng_renew_batch, "start": _eng_start, "getEngine": _get_engine,
        "getThreadData": _get_thread_data,
    }
)  # fmt: skip


# --------------------------------------------------------------------------- BruteSocket
checkwrap = LuaTable.from_dict(
    {k: True for k in ("connect", "send", "receive", "receive_lines", "receive_buf",
                       "receive_bytes")}
)  # fmt: skip


def _bs_check_status(self: Any = None, status: Any = None, err: Any = None, *_: Any) -> tuple[()]:
    if not _truth(status) and err in ("ERROR", "TIMEOUT"):
        co = _running()
        eng = _get_engine(co)
        if eng is None:
            return ()
        tdata = _thread_data(co)
        eng["retry_accounts"].append(
            LuaTable.from_dict({"username": tdata["username"], "password": tdata["password"]})
        )
        tdata["connection_error"] = True
        tdata["con_error_reason"] = err
    return ()


def _bs_new(self: Any = None, *_: Any) -> LuaTable:
    o = LuaTable()
    cls = self

    def index(inst: Any, key: Any) -> Any:
        f = cls.rawget(key)
        if f is not None:
            return f
        sock = inst.rawget("socket")
        f = ops.index(sock, key)
        if key in ("connect", "send", "receive", "receive_lines", "receive_buf",
                   "receive_bytes"):  # fmt: skip

            def wrapped(_s: Any = None, *a: Any) -> Any:
                st, err = _two(ops.call(f, sock, *a))
                _bs_check_status(inst, st, err)
                return st, err

            return wrapped
        if callable(f) and not isinstance(f, LuaTable):
            return lambda _s=None, *a: ops.call(f, sock, *a)
        return f

    o.meta = cls
    cls["__index"] = index
    o["socket"] = nmap.new_socket()
    # nselib modules written in Python (ftp, smtp...) call ``socket.send(data)`` as a
    # Python attribute, which on a table is a raw field read: give them raw fields that
    # work both ways (``sock:send(d)`` from Lua passes the table first: dropped).
    for name in _PY_METHODS:
        o[name] = _py_method(o, name)
    return o


_PY_METHODS = ("connect", "send", "receive", "receive_lines", "receive_bytes", "receive_buf",
               "close", "set_timeout", "get_info", "get_ssl_certificate", "reconnect_ssl")  # fmt: skip


def _py_method(inst: LuaTable, name: str) -> Callable[..., Any]:
    def method(*a: Any) -> Any:
        if a and a[0] is inst:
            a = a[1:]
        sock = inst.rawget("socket")
        r = ops.call(ops.index(sock, name), sock, *a)
        if name in _CHECKED:
            st, err = _two(r)
            _bs_check_status(inst, st, err)
        return r

    return method


_CHECKED = frozenset(("connect", "send", "receive", "receive_lines", "receive_buf",
                      "receive_bytes"))  # fmt: skip


BruteSocket = _class(
    {"new": _bs_new, "getSocket": _getter("socket"), "checkStatus": _bs_check_status}
)


def new_socket(*_: Any) -> LuaTable:
    """A socket whose connection errors make the brute engine retry the guess."""
    return _bs_new(BruteSocket)
