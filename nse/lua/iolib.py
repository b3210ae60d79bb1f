"""The Lua 5.4 ``io`` library (manual §6.8), exact to ``liolib.c`` of Lua 5.4.4.

File handles
    A handle is a :class:`LuaFile` (Lua type "userdata"); its metatable (``__lua_meta__``,
    see :func:`nse.lua.ops.getmetatable_raw`) has ``__name = "FILE*"``, ``__index`` (the
    methods ``close flush lines read seek setvbuf write``), ``__tostring``
    (``file (0x...)`` / ``file (closed)``), ``__gc`` and ``__close``.  Each ``_G`` has its
    own metatable and its own ``io.stdin/stdout/stderr`` and default input/output.

Bytes
    Files are opened in binary mode; a Lua string is written with latin-1 and read back the
    same way, so every byte survives.  ``read("n")`` follows ``read_number`` (one character
    of look-ahead, taken with ``peek`` so nothing has to be pushed back).

Standard streams
    ``io.stdout`` writes to ``sys.stdout.buffer`` looked up at each call, the same buffer
    the basic ``print`` writes to, so ``print`` and ``io.write`` output keep their order
    (flushing at exit is the runner's job).  ``io.stderr`` is flushed after each write (C's
    stderr is unbuffered).  When ``sys.stdout`` has no binary buffer (replaced by a text
    stream) the bytes are decoded latin-1 and written as text.

Pipes
    ``io.popen(prog, "r"|"w")`` runs ``/bin/sh -c prog``; closing the handle waits for
    the child and returns ``luaL_execresult``'s true/fail, "exit"/"signal", code.

Known differences from lua5.4
    * Argument errors of the methods are numbered as in a method call (``f:read("x")``
      complains about argument #1 of 'read'), which is how scripts call them; Lua says
      #2 for ``f.read(f, "x")``.
    * ``read(n)`` with a negative count reads everything left (C runs out of memory).
    * ``setvbuf`` sizes are accepted and ignored (Python's buffers keep their size).
"""

from __future__ import annotations

import errno as _errno
import io as _io
import math
import os
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from nse.lua import ops
from nse.lua.errors import (
    NOARG,
    arg_error,
    check_int,
    check_str,
    lua_error,
    opt_int,
    opt_str,
    type_error,
)
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import str2number
from nse.lua.oslib import cstr, to_bytes

__all__ = ["open_lib", "LuaFile", "open_file"]

_MAXARGLINE = 250
_L_MAXLENNUM = 200
_CHUNK = 1 << 16
_C_SPACE = b" \t\n\v\f\r"
_DIGITS = b"0123456789"
_XDIGITS = b"0123456789abcdefABCDEF"
_MODES = {"r": "rb", "w": "wb", "a": "ab", "r+": "r+b", "w+": "w+b", "a+": "a+b"}


class _TextStream:
    """Binary view of a text stream (a replaced ``sys.stdout``), bytes as latin-1."""

    def __init__(self, s: Any) -> None:
        self.s = s

    def write(self, b: bytes) -> int:
        self.s.write(b.decode("latin-1"))
        return len(b)

    def flush(self) -> None:
        self.s.flush()

    def readline(self) -> bytes:
        return str(self.s.readline()).encode("latin-1", "replace")

    def read(self, n: int | None = -1) -> bytes:
        return str(self.s.read(n)).encode("latin-1", "replace")

    def peek(self, n: int = 1) -> bytes:
        raise _io.UnsupportedOperation("peek")

    def seek(self, off: int, whence: int = 0) -> int:
        raise OSError(_errno.ESPIPE, os.strerror(_errno.ESPIPE))

    def tell(self) -> int:
        raise OSError(_errno.ESPIPE, os.strerror(_errno.ESPIPE))

    def isatty(self) -> bool:
        return bool(getattr(self.s, "isatty", lambda: False)())

    def close(self) -> None:
        pass


class _DirStream:
    """What ``fopen(dir, "r")`` gives on Linux: it opens, and reading fails (EISDIR)."""

    def _eisdir(self, *_: Any) -> Any:
        raise OSError(_errno.EISDIR, os.strerror(_errno.EISDIR))

    read = readline = peek = _eisdir

    def write(self, b: bytes) -> int:
        raise OSError(_errno.EBADF, os.strerror(_errno.EBADF))

    def flush(self) -> None:
        pass

    def seek(self, off: int, whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return 0

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        pass


class LuaFile:
    """A Lua file handle (``LStream``): a binary stream and how to close it."""

    __slots__ = ("_fp", "_std", "closef", "vbuf", "proc", "__lua_meta__")

    def __init__(self, fp: Any, meta: LuaTable, std: str | None = None) -> None:
        self._fp = fp
        self._std = std  # "stdin"/"stdout"/"stderr": resolved on each use
        self.closef: str | None = "std" if std else "file"  # None once closed
        # stdout: C line-buffers it on a terminal ("tty" = decide on first write)
        self.vbuf = {"stderr": "no", "stdout": "tty"}.get(std or "", "full")
        self.proc: Any = None  # the child of io.popen
        self.__lua_meta__ = meta

    @property
    def fp(self) -> Any:
        """The underlying binary stream."""
        if self._std is None:
            return self._fp
        s = getattr(sys, self._std)
        b = getattr(s, "buffer", None)
        return b if b is not None else _TextStream(s)

    @property
    def closed(self) -> bool:
        """True once ``close`` ran."""
        return self.closef is None

    def __repr__(self) -> str:
        return "file (closed)" if self.closef is None else f"file ({ops.addressof(self)})"


# ------------------------------------------------------------------------------ helpers
def _oserror_result(e: BaseException, fname: str | None = None) -> tuple[Any, str, int]:
    """``luaL_fileresult`` for a failed operation."""
    en = getattr(e, "errno", None)
    if not en:
        en = _errno.EBADF  # unsupported operation / closed Python stream: C says EBADF
    msg = os.strerror(en)
    if fname is not None:
        msg = f"{fname}: {msg}"
    return None, msg, en


def _fmt_g14(v: float) -> str:
    """``fprintf(f, "%.14g", v)`` (LUA_NUMBER_FMT without tostring's ".0")."""
    if v != v:
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    return "%.14g" % v


def _tofile(v: Any, fname: str, argn: int = 1) -> LuaFile:
    """``tofile``: an open file handle, or Lua's error."""
    if not isinstance(v, LuaFile):
        type_error(argn, fname, "FILE*", v)
    if v.closef is None:
        lua_error("attempt to use a closed file")
    return v


def _look(fp: Any) -> int:
    """The next byte without consuming it (C's getc + ungetc), -1 at end of file."""
    peek = getattr(fp, "peek", None)
    if peek is None:  # a write-only stream: C's read fails with EBADF
        raise OSError(_errno.EBADF, os.strerror(_errno.EBADF))
    p = peek(1)
    return p[0] if p else -1


def _read_number(fp: Any) -> Any:
    """``read_number``: the longest prefix that looks like a numeral, then
    ``lua_stringtonumber``; at most 200 characters."""
    buff = bytearray()
    invalid = False
    c = _look(fp)
    while c != -1 and c in _C_SPACE:  # skip spaces
        fp.read(1)
        c = _look(fp)

    def nextc() -> bool:
        nonlocal c, invalid
        if len(buff) >= _L_MAXLENNUM:  # buffer overflow?
            invalid = True
            return False
        buff.append(c)
        fp.read(1)
        c = _look(fp)
        return True

    def test2(a: int, b: int) -> bool:
        if c == a or c == b:
            return nextc()
        return False

    def readdigits(hexa: bool) -> int:
        count = 0
        digits = _XDIGITS if hexa else _DIGITS
        while c != -1 and c in digits and nextc():
            count += 1
        return count

    count = 0
    hexa = False
    test2(0x2D, 0x2B)  # optional sign "-+"
    if test2(0x30, 0x30):  # "00"
        if test2(0x78, 0x58):  # "xX"
            hexa = True
        else:
            count = 1  # count initial '0' as a valid digit
    count += readdigits(hexa)  # integral part
    if test2(0x2E, 0x2E):  # decimal point (the C locale's is '.')
        count += readdigits(hexa)  # fractional part
    if count > 0 and test2(*((0x70, 0x50) if hexa else (0x65, 0x45))):  # exponent mark
        test2(0x2D, 0x2B)  # exponent sign
        readdigits(False)  # exponent digits
    if invalid:
        return None
    return str2number(buff.decode("latin-1"))


def _read_chars(fp: Any, n: int) -> str | None:
    parts = []
    while n > 0:
        b = fp.read(min(n, _CHUNK))
        if not b:
            break
        parts.append(b)
        n -= len(b)
    if not parts:
        return None
    return b"".join(parts).decode("latin-1")


def _read_line(fp: Any, chop: bool) -> str | None:
    b = fp.readline()
    if not b:
        return None
    if chop and b[-1:] == b"\n":
        b = b[:-1]
    return b.decode("latin-1")


def _flush_stdout() -> None:
    """Push pending output out before blocking on input (a prompt shows up first)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        pass


def g_read(f: LuaFile, fmts: tuple[Any, ...], first: int, fname: str) -> Any:
    """``g_read``: the values read (a failing read gives nil and stops), or the
    ``luaL_fileresult`` triple on an I/O error."""
    fp = f.fp
    if f._std == "stdin":
        _flush_stdout()  # glibc flushes line-buffered output before reading a terminal
    out: list[Any] = []
    try:
        if not fmts:
            return _read_line(fp, True)
        for k, fmt in enumerate(fmts):
            argn = first + k
            if type(fmt) is int or type(fmt) is float:
                n = check_int(fmt, argn, fname)
                if n == 0:  # test_eof
                    v: Any = "" if _look(fp) != -1 else None
                else:
                    v = _read_chars(fp, n if n > 0 else 1 << 62)
            else:
                p = check_str(fmt, argn, fname)
                if p[:1] == "*":
                    p = p[1:]  # skip optional '*' (for compatibility)
                c = p[:1]
                if c == "n":
                    v = _read_number(fp)
                elif c == "l":
                    v = _read_line(fp, True)
                elif c == "L":
                    v = _read_line(fp, False)
                elif c == "a":
                    v = fp.read().decode("latin-1")
                else:
                    arg_error(argn, fname, "invalid format")
            out.append(v)
            if v is None:
                break
    except (OSError, ValueError, AttributeError) as e:
        return _oserror_result(e)
    return tuple(out)


def g_write(f: LuaFile, args: tuple[Any, ...], first: int, fname: str) -> Any:
    """``g_write``: write each argument; the file, or the error triple."""
    fp = f.fp
    err: BaseException | None = None
    wrote_nl = False
    for k, v in enumerate(args):
        tv = type(v)
        if tv is int:
            s = str(v)
        elif tv is float:
            s = _fmt_g14(v)
        else:
            s = check_str(v, first + k, fname)
        if err is None:  # C stops writing after the first failure
            try:
                fp.write(to_bytes(s))
            except (OSError, ValueError, AttributeError) as e:
                err = e
            if "\n" in s:
                wrote_nl = True
    if err is None:
        mode = f.vbuf
        if mode == "tty":
            try:
                mode = f.vbuf = "line" if fp.isatty() else "full"
            except (OSError, ValueError, AttributeError):
                mode = f.vbuf = "full"
        if mode == "no" or (mode == "line" and wrote_nl):
            try:
                fp.flush()
            except (OSError, ValueError, AttributeError) as e:
                err = e
    if err is not None:
        return _oserror_result(err)
    return f


def open_file(filename: str, mode: str, meta: LuaTable) -> LuaFile:
    """``fopen`` for a checked Lua mode; raises OSError like fopen fails."""
    m = mode.rstrip("b")
    path = to_bytes(filename)
    fp: Any
    try:
        fp = open(path, _MODES[m])  # noqa: SIM115 - the handle outlives this function
    except IsADirectoryError:
        if m != "r":
            raise
        fp = _DirStream()  # fopen(dir, "r") succeeds on Linux
    return LuaFile(fp, meta)


def _checkmode(mode: str) -> bool:
    """``l_checkmode``: [rwa]%+?b*"""
    if not mode or mode[0] not in "rwa":
        return False
    rest = mode[1:]
    if rest[:1] == "+":
        rest = rest[1:]
    return rest.strip("b") == ""


def _aux_close(f: LuaFile) -> Any:
    cf = f.closef
    if cf == "std":  # io_noclose: keep the standard files open
        return None, "cannot close standard file"
    f.closef = None
    try:
        f._fp.close()
    except (OSError, ValueError, AttributeError) as e:
        if cf != "popen":
            return _oserror_result(e)
    if cf == "popen":  # io_pclose
        from nse.lua.oslib import execresult

        return execresult(f.proc.wait())
    return True


# ------------------------------------------------------------------------------ library
def open_lib(env: LuaTable) -> LuaTable:
    """Build the ``io`` table (``luaopen_io``) with its file metatable."""
    IO = LuaTable()
    meth = LuaTable()
    meta = LuaTable()
    meta["__name"] = "FILE*"
    meta["__index"] = meth

    stdin = LuaFile(None, meta, "stdin")
    stdout = LuaFile(None, meta, "stdout")
    stderr = LuaFile(None, meta, "stderr")
    cur = {"input": stdin, "output": stdout}  # the registry's IO_INPUT / IO_OUTPUT

    def getiofile(which: str) -> LuaFile:
        f = cur[which]
        if f.closef is None:
            lua_error(f"default {which} file is closed")
        return f

    def opencheckfile(fn: str, mode: str) -> LuaFile:
        fn = cstr(fn)
        try:
            return open_file(fn, mode, meta)
        except OSError as e:
            lua_error(f"cannot open file '{fn}' ({os.strerror(e.errno or 0)})")

    def aux_lines(f: LuaFile, fmts: tuple[Any, ...], toclose: bool, argbase: int) -> Any:
        if len(fmts) > _MAXARGLINE:
            arg_error(_MAXARGLINE + argbase, "lines", "too many arguments")

        def io_readline(*_: Any) -> Any:
            if f.closef is None:  # file is already closed?
                lua_error("file is already closed")
            r = g_read(f, fmts, 2, "for iterator")
            if type(r) is not tuple:
                r = (r,)
            if r and r[0] is not None and r[0] is not False:  # read at least one value?
                return r
            if len(r) > 1:  # error information
                lua_error(str(r[1]))
            if toclose:
                _aux_close(f)
            return ()

        return io_readline

    # -------------------------------------------------------------- methods
    def f_close(f: Any = NOARG, *_: Any) -> Any:
        return _aux_close(_tofile(f, "close"))

    def f_flush(f: Any = NOARG, *_: Any) -> Any:
        fl = _tofile(f, "flush")
        try:
            fl.fp.flush()
        except (OSError, ValueError, AttributeError) as e:
            return _oserror_result(e)
        return True

    def f_lines(f: Any = NOARG, *fmts: Any) -> Any:
        return aux_lines(_tofile(f, "lines"), fmts, False, 1)

    def f_read(f: Any = NOARG, *fmts: Any) -> Any:
        return g_read(_tofile(f, "read"), fmts, 1, "read")

    def f_write(f: Any = NOARG, *args: Any) -> Any:
        return g_write(_tofile(f, "write"), args, 1, "write")

    _whence = {"set": os.SEEK_SET, "cur": os.SEEK_CUR, "end": os.SEEK_END}

    def f_seek(f: Any = NOARG, whence: Any = NOARG, offset: Any = NOARG, *_: Any) -> Any:
        fl = _tofile(f, "seek")
        w = opt_str(whence, 1, "seek", "cur")
        if w not in _whence:
            arg_error(1, "seek", f"invalid option '{w}'")
        off = opt_int(offset, 2, "seek", 0)
        fp = fl.fp
        try:
            fp.seek(off, _whence[w])
            return fp.tell()
        except _io.UnsupportedOperation:
            return _oserror_result(OSError(_errno.ESPIPE, "Illegal seek"))
        except (OSError, ValueError, OverflowError) as e:
            if isinstance(e, OverflowError) or not getattr(e, "errno", None):
                e = OSError(_errno.EINVAL, "Invalid argument")
            return _oserror_result(e)

    def f_setvbuf(f: Any = NOARG, mode: Any = NOARG, size: Any = NOARG, *_: Any) -> Any:
        fl = _tofile(f, "setvbuf")
        m = check_str(mode, 1, "setvbuf")
        if m not in ("no", "full", "line"):
            arg_error(1, "setvbuf", f"invalid option '{m}'")
        opt_int(size, 2, "setvbuf", 1024)
        if m != "full":
            try:
                fl.fp.flush()
            except (OSError, ValueError, AttributeError):
                pass
        fl.vbuf = m
        return True

    def f_gc(f: Any = NOARG, *_: Any) -> Any:
        if isinstance(f, LuaFile) and f.closef is not None:
            _aux_close(f)
        return ()

    def f_tostring(f: Any = NOARG, *_: Any) -> str:
        if not isinstance(f, LuaFile):
            type_error(1, "tostring", "FILE*", f)
        return repr(f)

    for name, fn in (
        ("close", f_close), ("flush", f_flush), ("lines", f_lines), ("read", f_read),
        ("seek", f_seek), ("setvbuf", f_setvbuf), ("write", f_write),
    ):  # fmt: skip
        meth[name] = fn
    meta["__gc"] = f_gc
    meta["__close"] = f_gc
    meta["__tostring"] = f_tostring

    # -------------------------------------------------------------- io functions
    def io_close(f: Any = NOARG, *_: Any) -> Any:
        if f is NOARG:
            f = cur["output"]
        return _aux_close(_tofile(f, "close"))

    def io_flush(*_: Any) -> Any:
        fl = getiofile("output")
        try:
            fl.fp.flush()
        except (OSError, ValueError, AttributeError) as e:
            return _oserror_result(e)
        return True

    def g_iofile(which: str, mode: str, fname: str) -> Callable[..., Any]:
        def fn(f: Any = NOARG, *_: Any) -> Any:
            if f is not None and f is not NOARG:
                if type(f) is str or type(f) is int or type(f) is float:
                    cur[which] = opencheckfile(check_str(f, 1, fname), mode)
                else:
                    cur[which] = _tofile(f, fname)
            return cur[which]

        return fn

    def io_lines(filename: Any = NOARG, *fmts: Any) -> Any:
        """§6.8: "Opens the given file name in read mode and returns an iterator function that
        works like file:lines(···) over the opened file.  When the iterator function fails to
        read any value, it automatically closes the file.  Besides the iterator function,
        io.lines returns three other values: two nil values as placeholders, plus the created
        file object."
        """
        if filename is None or filename is NOARG:
            f = _tofile(cur["input"], "lines")
            return aux_lines(f, fmts, False, 2)
        fn = check_str(filename, 1, "lines")
        f = opencheckfile(fn, "r")
        return aux_lines(f, fmts, True, 2), None, None, f

    def io_open(filename: Any = NOARG, mode: Any = NOARG, *_: Any) -> Any:
        """§6.8: "This function opens a file, in the mode specified in the string mode.  In case
        of success, it returns a new file handle."  Mode: [rwa]%+?b*."""
        fn = cstr(check_str(filename, 1, "open"))
        md = opt_str(mode, 2, "open", "r")
        if not _checkmode(md):
            arg_error(2, "open", "invalid mode")
        try:
            return open_file(fn, md, meta)
        except OSError as e:
            return _oserror_result(e, fn)

    def io_popen(prog: Any = NOARG, mode: Any = NOARG, *_: Any) -> Any:
        import subprocess

        cmd = cstr(check_str(prog, 1, "popen"))
        md = opt_str(mode, 2, "popen", "r")
        if md not in ("r", "w"):
            arg_error(2, "popen", "invalid mode")
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()  # the child writes to the same stdout
            except (OSError, ValueError, AttributeError):
                pass
        try:
            proc = subprocess.Popen(
                ["/bin/sh", "-c", to_bytes(cmd)],
                stdout=subprocess.PIPE if md == "r" else None,
                stdin=subprocess.PIPE if md == "w" else None,
            )
        except OSError as e:
            return _oserror_result(e, cmd)
        f = LuaFile(proc.stdout if md == "r" else proc.stdin, meta)
        f.closef = "popen"
        f.proc = proc
        return f

    def io_read(*fmts: Any) -> Any:
        return g_read(getiofile("input"), fmts, 1, "read")

    def io_tmpfile(*_: Any) -> Any:
        try:
            return LuaFile(tempfile.TemporaryFile("w+b"), meta)
        except OSError as e:
            return _oserror_result(e)

    def io_type(*args: Any) -> Any:
        if not args:
            arg_error(1, "type", "value expected")
        v = args[0]
        if not isinstance(v, LuaFile):
            return None
        return "closed file" if v.closef is None else "file"

    def io_write(*args: Any) -> Any:
        return g_write(getiofile("output"), args, 1, "write")

    io_fns: tuple[tuple[str, Callable[..., Any]], ...] = (
        ("close", io_close), ("flush", io_flush), ("input", g_iofile("input", "r", "input")),
        ("lines", io_lines), ("open", io_open), ("output", g_iofile("output", "w", "output")),
        ("popen", io_popen), ("read", io_read), ("tmpfile", io_tmpfile), ("type", io_type),
        ("write", io_write),
    )  # fmt: skip
    for name, fn in io_fns:
        IO[name] = fn
    IO["stdin"] = stdin
    IO["stdout"] = stdout
    IO["stderr"] = stderr
    return IO
