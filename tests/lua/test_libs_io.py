"""io library (nse.lua.iolib) against lua5.4: same calls, same printed results.

Both sides start from the same files in a fresh directory each.  Output written to
io.stdout is captured on the Python side and compared with what lua5.4 printed.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from typing import Any

import pytest

from nse.lua import iolib, ops
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

_spec = importlib.util.spec_from_file_location(
    "_libs_harness", Path(__file__).with_name("test_libs_harness.py")
)
assert _spec is not None and _spec.loader is not None
H = importlib.util.module_from_spec(_spec)
sys.modules["_libs_harness"] = H
_spec.loader.exec_module(H)
C, S, V, M, Raw = H.C, H.Scenario, H.V, H.M, H.Raw
INT_STR_BUG = "errors.check_int rejects numeric strings holding integers (core bug)"

NUMS = [b"0x", b" .5", b"5.", b".e1", b"1e", b"0x.p1", b"-", b"+5", b"00012",
        b"0xffffffffffffffffff", b"1e400", b"1" * 199, b"1" * 200, b"1" * 210, b"0x1p-2",
        b"9223372036854775808", b" \t\v\f\r7", b"0X1P4", b"1E2", b"-0x10", b"--1", b"1.5e+3x",
        b"0x1.8P+1", b"  -.5e-1", b"12 34", b"0xg", b"1..2", b"inf", b"nan", b"0x1e+1", b"1e+",
        b"007", b"-0", b"\xff1"]
FILES = {
    "in.txt": b"line1\nline2\r\n  0x1F  -3.5e2 12abc\n\nlast",
    "num.txt": b"\n".join(NUMS),
    "bin.dat": bytes(range(256)) * 2,
    "empty.txt": b"",
}


class _Capture:
    """Swap sys.stdout for a text wrapper over a BytesIO while a step runs."""

    def __enter__(self) -> io.BytesIO:
        self.old = sys.stdout
        self.buf = io.BytesIO()
        self.wrapper = io.TextIOWrapper(self.buf, encoding="latin-1")
        sys.stdout = self.wrapper
        return self.buf

    def __exit__(self, *exc: Any) -> None:
        sys.stdout.flush()
        sys.stdout = self.old
        self.data = self.buf.getvalue().decode("latin-1")


def Do(lua: str, py: Any) -> Raw:
    """Run a statement on both sides; prints nothing."""

    def run(libs: dict, vars_: dict) -> list[str]:
        py(libs["io"], vars_)
        return []

    return Raw(lua, run)


def Out(fname: str, *args: Any) -> Raw:
    """``show(io.<fname>(args))`` with io.stdout captured: written bytes, then the result."""
    lua = f"show(strip(pcall(function() return io.{fname}({', '.join(H.lua_lit(a) for a in args)}) end)))"

    def run(libs: dict, vars_: dict) -> list[str]:
        cap = _Capture()
        with cap:
            try:
                r = libs["io"][fname](*[vars_.get(a.name) if isinstance(a, H.V) else H._copy(a)
                                        for a in args])
                vals = (True, *r) if type(r) is tuple else (True, r)
            except LuaError as e:
                vals = (False, e.value)
        return [cap.data + H.show_py(*vals)]

    return Raw(lua, run)


def Open(var: str, name: str, mode: str = "r") -> Raw:
    return Do(f'{var} = io.open("{name}", "{mode}")',
              lambda io_, v: v.__setitem__(var, io_["open"](name, mode)))


def Lines(expr_lua: str, py: Any) -> Raw:
    """Run a generic for over an iterator, printing each step's values (or the error)."""
    lua = (
        "do local r = {} local ok, e = pcall(function() for a, b in " + expr_lua +
        " do r[#r + 1] = tostring(a) .. '|' .. tostring(b) end end) "
        "print(table.concat(r, ' ; '), ok, ok or (e:gsub('^stdin:%d+: ', ''))) end"
    )

    def run(libs: dict, vars_: dict) -> list[str]:
        r = []
        try:
            it = py(libs["io"], vars_)
            f, s, c = (it + (None, None))[:3] if type(it) is tuple else (it, None, None)
            while True:
                x = f(s, c)
                x = x if type(x) is tuple else (x,)
                if not x or x[0] is None:
                    break
                c = x[0]
                r.append(f"{H.show_py(x[0])}|{H.show_py(x[1] if len(x) > 1 else None)}")
            ok, e = True, True
        except LuaError as err:
            ok, e = False, err.value
        return [H.show_py(" ; ".join(r), ok, e)]

    return Raw(lua, run)


def TypeOf(var: str) -> Raw:
    return Raw(f"show(io.type({var}), tostring({var}):gsub('0x%x+', 'ADDR'))",
               lambda libs, v: [H.show_py(libs["io"]["type"](v[var]),
                                          ops.tostring(v[var]).split(" (0x")[0] +
                                          (" (ADDR)" if "0x" in ops.tostring(v[var]) else ""),
                                          1 if "0x" in ops.tostring(v[var]) else 0)])


SCENARIOS = [
    S("read_formats", [Open("f", "in.txt"), M("f", "read", "l", "L", "n", "n", "n", "n")]
        + [M("f", "read", "l") for _ in range(5)]
        + [M("f", "read", "a"), M("f", "read", "a"), M("f", "read", 0), M("f", "read", 1),
           M("f", "read", "n"), M("f", "read"), M("f", "close"),
           Open("f", "in.txt"), M("f", "read", "*l", "*L", "*a", "*n"), M("f", "close"),
           Open("f", "in.txt"), M("f", "read", 2, "n"), M("f", "read", 0, 3, "L", 100, 1, 0),
           M("f", "close"), Open("f", "in.txt"),
           M("f", "read", "L", "L", "L", "L", "L", "L"), M("f", "close"),
           Open("f", "in.txt"), M("f", "read", "line"), M("f", "read", "all"),
           M("f", "close")]),
    S("read_numbers", [Open("f", "num.txt")]
        + [m for _ in NUMS for m in (M("f", "read", "n"), M("f", "read", "L"))]
        + [M("f", "read", "a"), M("f", "close")]),
    S("binary", [Open("f", "bin.dat"), M("f", "read", 300), M("f", "seek", "cur"),
                 M("f", "read", "l"), M("f", "read", "L"), M("f", "seek", "end", -3),
                 M("f", "read", "a"), M("f", "close"), Open("g", "out.bin", "wb"),
                 M("g", "write", "\x00\xff\r\n", 255), M("g", "close"), Open("g", "out.bin", "rb"),
                 M("g", "read", "a"), M("g", "close")]),
    S("seek", [Open("f", "in.txt"), M("f", "seek", "set", 2), M("f", "read", 3), M("f", "seek"),
               M("f", "seek", "end"), M("f", "seek", "cur", -2), M("f", "read", 5),
               M("f", "seek", "bad"), M("f", "seek", "set", 1.5), M("f", "seek", "set", -1),
               M("f", "seek", "set", 1000), M("f", "read", 1), M("f", "seek", {}),
               M("f", "seek", None, 1), M("f", "close")]),
    S("errors", [Open("f", "in.txt"), M("f", "read", "x"), M("f", "read", {}),
                 M("f", "read", 1, {}), M("f", "read", "n", "?"), M("f", "read", True),
                 M("f", "write", "x"), M("f", "write", {}), M("f", "setvbuf", "bad"),
                 M("f", "setvbuf", "no"), M("f", "setvbuf", "line", 10), M("f", "flush"),
                 M("f", "lines", *([None] * 251)), M("f", "close"), M("f", "close"),
                 M("f", "read"), M("f", "read", 1.5), M("f", "write", "x"), M("f", "lines"),
                 M("f", "seek"), M("f", "flush"), M("f", "setvbuf", "no"), TypeOf("f"),
                 C("io.close", 1), C("io.close", None), C("io.type", 1), C("io.type"),
                 C("io.type", None), C("io.type", {}), C("io.read", "x"),
                 C("io.lines", "in.txt", *([None] * 251))]),
    S("open", [C("io.open", "nope.txt"), C("io.open", "nope.txt", "rw"),
               C("io.open", "in.txt", "b"), C("io.open", "in.txt", "+"),
               C("io.open", "in.txt", "r+bb"), C("io.open", "in.txt", "rb+"),
               C("io.open", "in.txt", ""), C("io.open", "in.txt", "a+b"),
               C("io.open", "nodir/x.txt", "w"), C("io.open"), C("io.open", {}),
               C("io.open", "in.txt", {}), C("io.open", ".", "w"), C("io.open", "."),
               C("io.open", "nope\x00zz"), C("io.lines", "nope\x00zz"), C("io.input", "nope\x00"),
               C("io.open", "in.txt\x00junk", "r"),
               Open("d", "."), M("d", "read", "a"), M("d", "read", "l"), M("d", "read", "n"),
               M("d", "write", "x"), M("d", "close"), TypeOf("d")]),
    S("modes", [Open("g", "out.txt", "w"), M("g", "write", "a", 1, 2.5, -0.0, 1e100, 2**63 - 1),
                M("g", "seek", "cur"), M("g", "read", "a"), M("g", "close"),
                Open("g", "out.txt"), M("g", "read", "a"), M("g", "write", "q"), M("g", "close"),
                Open("g", "out.txt", "a+"), M("g", "write", "Z"), M("g", "seek", "set"),
                M("g", "read", "a"), M("g", "write", "W"), M("g", "seek", "set", 0),
                M("g", "read", "a"), M("g", "close"), Open("g", "out.txt", "r+"),
                M("g", "write", "AB"), M("g", "read", 2), M("g", "seek", "set", 0),
                M("g", "read", "a"), M("g", "close"), Open("g", "out.txt", "w+"),
                M("g", "read", "a"), M("g", "write", "fresh\n", "x"), M("g", "seek", "set"),
                M("g", "read", "L", "l", "l"), M("g", "close"), Open("g", "empty.txt"),
                M("g", "read", 0), M("g", "read", "a"), M("g", "read", "l"), M("g", "read", "n"),
                M("g", "read", 1), M("g", "read", "a", "a"), M("g", "close")]),
    S("lines", [Lines('io.lines("in.txt")', lambda io_, v: io_["lines"]("in.txt")),
                Lines('io.lines("in.txt", 1, "l")', lambda io_, v: io_["lines"]("in.txt", 1, "l")),
                Lines('io.lines("in.txt", "n")', lambda io_, v: io_["lines"]("in.txt", "n")),
                Lines('io.lines("in.txt", "L")', lambda io_, v: io_["lines"]("in.txt", "L")),
                Lines('io.lines("in.txt", "x")', lambda io_, v: io_["lines"]("in.txt", "x")),
                Lines('io.lines("nope.txt")', lambda io_, v: io_["lines"]("nope.txt")),
                Lines('io.lines(".")', lambda io_, v: io_["lines"](".")),
                Open("f", "in.txt"),
                Lines('f:lines(4)', lambda io_, v: ops.invoke(v["f"], "lines", 4)),
                Lines('f:lines()', lambda io_, v: ops.invoke(v["f"], "lines")),
                TypeOf("f"), M("f", "close"),
                Do("it = io.lines('in.txt', 'l')",
                   lambda io_, v: v.__setitem__("it", io_["lines"]("in.txt", "l")[0])),
                C("it"), C("it"), C("it"), C("it"), C("it"), C("it"), C("it"),
                Raw("show(select('#', io.lines('in.txt')))",
                    lambda libs, v: [H.show_py(len(libs["io"]["lines"]("in.txt")))])]),
    S("defaults", [Out("write", 1.0, " ", 2.0**63, " ", -0.0, " ", 1e100, " ", 3, " ", -(0.0 / 1e-300 * 0 + float("nan")), "\n"),
                   Out("write"), Out("write", {}), Out("write", "a", None),
                   Raw("show(io.output() == io.stdout, io.input() == io.stdin, io.type(io.stderr))",
                       lambda libs, v: [H.show_py(libs["io"]["output"]() is libs["io"]["stdout"],
                                                  libs["io"]["input"]() is libs["io"]["stdin"],
                                                  libs["io"]["type"](libs["io"]["stderr"]))]),
                   Do("so = io.stdout", lambda io_, v: v.__setitem__("so", io_["stdout"])),
                   M("so", "close"), C("io.close"), C("io.input", "nope.txt"),
                   C("io.output", {}), C("io.input", 5),
                   Do('io.input("in.txt")', lambda io_, v: io_["input"]("in.txt")),
                   C("io.read", "l", "n"), C("io.read"), C("io.read", "a"),
                   Lines("io.lines()", lambda io_, v: io_["lines"]()),
                   Do('io.output("o.txt")', lambda io_, v: io_["output"]("o.txt")),
                   Out("write", "to file ", 42, "\n"), C("io.flush"), C("io.close"),
                   Out("write", "x"), C("io.flush"), C("io.close"),
                   Do("io.output(io.stdout)", lambda io_, v: io_["output"](io_["stdout"])),
                   Do('h = io.open("o.txt")', lambda io_, v: v.__setitem__("h", io_["open"]("o.txt"))),
                   M("h", "read", "a"), Do("io.input(h) h:close()",
                                           lambda io_, v: [io_["input"](v["h"]),
                                                           ops.invoke(v["h"], "close")]),
                   C("io.read"), C("io.lines"), C("io.input", V("h")),
                   Out("write", "done\n")]),
    S("write_only", [Open("w", "w.txt", "w")] + [M("w", "read", fm) for fm in ("n", 0, "l", "L", 5, "a")]
        + [M("w", "read", "l", "n"), M("w", "close"), Open("w", "w.txt", "a"), M("w", "read", "n"),
           M("w", "seek", "set", 0), M("w", "write", "abc"), M("w", "seek", "cur"), M("w", "close")]),
    S("popen", [Do('p = io.popen("echo hi; printf there")',
                   lambda io_, v: v.__setitem__("p", io_["popen"]("echo hi; printf there"))),
                TypeOf("p"), M("p", "read", "l", "a", "a"), M("p", "close"), TypeOf("p"),
                M("p", "close"),
                Do('p = io.popen("exit 5")', lambda io_, v: v.__setitem__("p", io_["popen"]("exit 5"))),
                M("p", "close"),
                Do('p = io.popen("cat > /dev/null", "w")',
                   lambda io_, v: v.__setitem__("p", io_["popen"]("cat > /dev/null", "w"))),
                M("p", "write", "x", 1), M("p", "read"), M("p", "close"),
                C("io.popen", "ls", "rw"), C("io.popen", "ls", "r+"), C("io.popen"),
                Do('p = io.popen("kill -9 $$")', lambda io_, v: v.__setitem__("p", io_["popen"]("kill -9 $$"))),
                M("p", "close")]),
    S("int_strings", [Open("f", "in.txt"), M("f", "seek", "set", "2"), M("f", "read", "1")],
      known=INT_STR_BUG),
]


@pytest.fixture(scope="module")
def lua_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    d = tmp_path_factory.mktemp("lua")
    for name, data in FILES.items():
        (d / name).write_bytes(data)
    return H.run_lua(SCENARIOS, cwd=str(d))


@pytest.fixture
def libs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, LuaTable]:
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return {"io": iolib.open_lib(LuaTable())}


@H.needs_lua
@pytest.mark.parametrize("sc", SCENARIOS, ids=lambda s: s.name)
def test_same_as_lua(sc: H.Scenario, lua_out: dict[str, list[str]], libs: dict) -> None:
    H.check(sc, libs, lua_out)


def test_stdout_is_line_buffered_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # C line-buffers stdout on a tty: a written line shows up without an explicit flush
    import os
    import pty
    import select

    master, slave = pty.openpty()
    out = open(slave, "w", encoding="latin-1", closefd=True)  # noqa: SIM115
    try:
        monkeypatch.setattr(sys, "stdout", out)
        lib = iolib.open_lib(LuaTable())
        lib["write"]("no newline yet")
        assert select.select([master], [], [], 0)[0] == []
        lib["write"](" ... line\n")
        assert select.select([master], [], [], 2)[0] == [master]
        assert os.read(master, 100) == b"no newline yet ... line\r\n"
    finally:
        monkeypatch.undo()
        out.close()
        os.close(master)


def test_reading_stdin_flushes_stdout_first(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(io.BufferedWriter(raw), encoding="latin-1")  # type: ignore[arg-type]
    inp = io.TextIOWrapper(io.BufferedReader(io.BytesIO(b"answer\n")), encoding="latin-1")  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stdin", inp)
    lib = iolib.open_lib(LuaTable())
    lib["write"]("prompt: ")
    assert raw.getvalue() == b""  # not a terminal: fully buffered
    assert lib["read"]() == "answer"
    assert raw.getvalue() == b"prompt: "


def test_python_text_above_255_is_written_as_utf8(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # DESIGN.md: a Python string with characters above 255 is UTF-8-encoded where it
    # enters the Lua world; writing it must not fail
    monkeypatch.chdir(tmp_path)
    lib = iolib.open_lib(LuaTable())
    f = lib["open"]("\u20ac.txt", "w")
    assert ops.invoke(f, "write", "\u20ac", "\xe9") is f
    ops.invoke(f, "close")
    assert (tmp_path / "\u20ac.txt").read_bytes() == b"\xe2\x82\xac\xe9"


def test_missing_std_streams_fail_like_closed_descriptors(monkeypatch: pytest.MonkeyPatch) -> None:
    # a daemon may run with sys.stdin/sys.stdout set to None: reads and writes fail (EBADF)
    monkeypatch.setattr(sys, "stdin", None)
    monkeypatch.setattr(sys, "stdout", None)
    lib = iolib.open_lib(LuaTable())
    assert lib["read"]("l") == (None, "Bad file descriptor", 9)
    assert lib["write"]("x") == (None, "Bad file descriptor", 9)
    assert ops.invoke(lib["stdout"], "flush") == (None, "Bad file descriptor", 9)
