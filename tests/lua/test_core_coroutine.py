"""Coroutines: Lua snippets compared with lua5.4, and coexistence with gevent."""

from __future__ import annotations

import pytest
from core_luaref import needs_lua, run_ours, run_ref

from nse.lua import coroutine as co
from nse.lua.errors import LuaError

SNIPPETS = {
    "basic": r"""
local c = coroutine.create(function(a) local b = coroutine.yield(a + 1); error("boom") end)
print(coroutine.resume(c, 1)) print(coroutine.status(c))
print(coroutine.resume(c, 2)) print(coroutine.status(c)) print(coroutine.resume(c))
print(select("#", coroutine.resume(coroutine.create(function() return end))))
print(coroutine.resume(coroutine.create(function(...) return select("#", ...) end), nil, nil))
local gen = coroutine.wrap(function(n) for i = 1, n do coroutine.yield(i) end return "done" end)
print(gen(3), gen(), gen(), gen())
print(pcall(gen))
""",
    "status": r"""
local main, ismain = coroutine.running() print(type(main), ismain, coroutine.isyieldable())
local c5; c5 = coroutine.create(function()
  print(coroutine.status(c5), coroutine.isyieldable(), select(2, coroutine.running()))
  print(coroutine.resume(c5))
  local inner = coroutine.create(function() print("outer is", coroutine.status(c5)) end)
  coroutine.resume(inner)
end)
coroutine.resume(c5) print(coroutine.status(c5))
print(coroutine.resume(coroutine.running()))
print(pcall(coroutine.yield, 1))
print(pcall(coroutine.status, nil))
print(pcall(coroutine.create, 1))
print(pcall(coroutine.resume, 1))
""",
    "errors": r"""
local w = coroutine.wrap(function() error("werr") end)
print(pcall(w))
local w2 = coroutine.wrap(function() error({}) end)
print(select("#", pcall(w2)), type(select(2, pcall(w2))))
local w3 = coroutine.wrap(function() local x = nil; return x.y end)
print(pcall(w3))
local c = coroutine.create(function() local t = setmetatable({}, {__index = function(t, k)
  return coroutine.yield(k) end}) return t.foo .. t.bar end)
print(coroutine.resume(c)) print(coroutine.resume(c, "A")) print(coroutine.resume(c, "B"))
local p = coroutine.create(function() return pcall(function() coroutine.yield("in pcall"); error("after") end) end)
print(coroutine.resume(p)) print(coroutine.resume(p))
""",
    "close": r"""
local c = coroutine.create(function() error("x") end) coroutine.resume(c) print(coroutine.close(c))
local c2 = coroutine.create(function() error({}) end) coroutine.resume(c2) print(type(select(2, coroutine.close(c2))))
print(pcall(coroutine.close, coroutine.running()))
local c3; c3 = coroutine.create(function() return coroutine.close(c3) end) print(coroutine.resume(c3))
print(coroutine.close(coroutine.create(function() end)))
local c4 = coroutine.create(function() coroutine.yield() end) coroutine.resume(c4)
print(coroutine.close(c4), coroutine.status(c4))
local c5 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() print("closing") end})
  coroutine.yield(1) end)
print(coroutine.resume(c5)) print(coroutine.close(c5)) print(coroutine.status(c5))
local c6 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("in close") end})
  coroutine.yield(1) end)
print(coroutine.resume(c6)) print(coroutine.close(c6))
""",
    "generators": r"""
local function range(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local s = 0 for i in range(100) do s = s + i end print(s)
local function perm(a, n) n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do a[n], a[i] = a[i], a[n]; perm(a, n - 1); a[n], a[i] = a[i], a[n] end end end
local count = 0 for p in coroutine.wrap(function() perm({1, 2, 3, 4}) end) do count = count + 1 end
print(count)
""",
}


@needs_lua
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_coroutine_snippet(name: str) -> None:
    src = SNIPPETS[name]
    assert run_ours(src) == run_ref(src)


def test_python_api() -> None:
    c = co.create(lambda a=None, *_: (co.yield_(a * 2), "end")[1])
    assert co.resume(c, 21) == (True, 42)
    assert co.status(c) == "suspended"
    assert co.resume(c) == (True, "end")
    assert co.status(c) == "dead"
    assert co.resume(c) == (False, "cannot resume dead coroutine")
    with pytest.raises(LuaError, match="attempt to yield from outside a coroutine"):
        co.yield_()
    main, ismain = co.running()
    assert ismain is True and co.running()[0] is main


def test_coexists_with_gevent() -> None:
    gevent = pytest.importorskip("gevent")
    log: list[str] = []

    def body(tag: str) -> str:
        def fn(*_: object) -> str:
            for i in range(3):
                gevent.sleep(0)  # switches to the hub and back into this coroutine
                log.append(f"{tag}{i}")
                co.yield_(i)
            return tag

        c = co.create(fn)
        got = []
        while True:
            r = co.resume(c)
            assert r[0] is True, r
            if co.status(c) == "dead":
                got.append(r[1])
                break
            got.append(r[1])
        # each script greenlet has its own stable "main" coroutine
        assert co.running()[0] is co.running()[0] and co.running()[1] is True
        return ",".join(map(str, got))

    g1 = gevent.spawn(body, "a")
    g2 = gevent.spawn(body, "b")
    gevent.joinall([g1, g2], timeout=10)
    assert g1.value == "0,1,2,a" and g2.value == "0,1,2,b"
    assert sorted(log) == ["a0", "a1", "a2", "b0", "b1", "b2"]
    assert log != ["a0", "a1", "a2", "b0", "b1", "b2"]  # they interleaved


def test_lua_traceback_of_converted_error() -> None:
    import transpiler
    from nse.lua.baselib import new_env
    from nse.lua.errors import from_python_exception

    src = "local function inner() local x = nil; return x.y end\nlocal function outer() return inner() end\nouter()\n"
    main = transpiler.compile_chunk(src, "tb.lua")(new_env())
    with pytest.raises(Exception) as ei:
        main()
    err = from_python_exception(ei.value)
    assert str(err.value).startswith("tb.lua:1: attempt to index a nil value")
    tb = err.lua_traceback
    assert tb.startswith("stack traceback:\n\ttb.lua:1: in ")
    assert "tb.lua:2: in " in tb and "tb.lua:3: in main chunk" in tb


def test_non_lua_exception_passes_through_resume() -> None:
    class Stop(BaseException):
        pass

    def fn(*_: object) -> None:
        raise Stop()

    c = co.create(fn)
    with pytest.raises(Stop):
        co.resume(c)
    assert co.status(c) == "dead"
    assert co.running()[0].status == "running"


def test_gevent_timeout_is_not_a_lua_error() -> None:
    gevent = pytest.importorskip("gevent")
    from nse.lua.baselib import pcall

    def slow(*_: object) -> str:
        gevent.sleep(5)
        return "late"

    def body() -> str:
        c = co.create(lambda *_: pcall(slow))
        with gevent.Timeout(0.05):
            co.resume(c)
        return "not reached"

    g = gevent.spawn(body)
    g.join(timeout=10)
    assert isinstance(g.exception, gevent.Timeout)  # pcall did not swallow it
