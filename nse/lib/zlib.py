"""``require "zlib"``: nmap's zlib binding (lzlib 0.4-work3) on Python's zlib.

Behaviour measured on nmap 7.93 itself (tests/lib/test_zlib.py runs the same calls in
nmap): ``crc32``/``adler32`` return *floats* and take the running value modulo 2^32;
``compress`` returns the data and ``1.0`` (``nil, -2.0`` for bad parameters);
``decompress`` defaults to zlib format (windowBits 15) and raises
``failed to process zlib stream``; ``inflate`` streams detect zlib/gzip headers
(windowBits 15+32 by default), ``read("*a")`` gives ``""`` at the end where ``read(n)`` and
``read("*l")`` give nil; errors inside a stream read ``failed to decompress [-3]``.

Differences, on purpose: nmap loops forever on a truncated ``decompress`` input, this
raises the error instead; an inflate source *function* is called until it returns nil
(lzlib reads it once per ``read``).  Python's zlib is the same zlib 1.2.13 nmap links,
so compressed bytes are identical.
"""

from __future__ import annotations

import zlib as _z
from collections.abc import Callable
from typing import Any

from nse.lib._util import LuaTable, Userdata, check_int, check_str, lua_error
from nse.lib._util import from_bytes as _s
from nse.lib._util import to_bytes as _b
from nse.lua import ops
from nse.lua.errors import NOARG, arg_error

__all__ = [
    "version", "adler32", "crc32", "compress", "decompress", "deflate", "inflate",
    "BEST_COMPRESSION", "BEST_SPEED", "DEFAULT_COMPRESSION", "DEFAULT_MEMLEVEL",
    "DEFAULT_STRATEGY", "DEFAULT_WINDOWBITS", "FILTERED", "FIXED", "GZIP_WINDOWBITS",
    "HUFFMAN_ONLY", "MAXIMUM_MEMLEVEL", "MAXIMUM_WINDOWBITS", "MINIMUM_MEMLEVEL",
    "MINIMUM_WINDOWBITS", "NO_COMPRESSION", "RAW_WINDOWBITS", "RLE", "_COPYRIGHT",
    "_DESCRIPTION", "_VERSION",
]  # fmt: skip

BEST_COMPRESSION = 9
BEST_SPEED = 1
DEFAULT_COMPRESSION = -1
DEFAULT_MEMLEVEL = 8
DEFAULT_STRATEGY = 0
DEFAULT_WINDOWBITS = 15
FILTERED = 1
FIXED = 4
GZIP_WINDOWBITS = 16
HUFFMAN_ONLY = 2
MAXIMUM_MEMLEVEL = 9
MAXIMUM_WINDOWBITS = 15
MINIMUM_MEMLEVEL = 1
MINIMUM_WINDOWBITS = 8
NO_COMPRESSION = 0
RAW_WINDOWBITS = -1
RLE = 3
_COPYRIGHT = "Copyright (C) 2003-2010 Tiago Dionizio"
_DESCRIPTION = "Lua 5 interface to access zlib library functions"
_VERSION = "lzlib 0.4-work3"


def version(*_: Any) -> str:
    """The zlib version string."""
    return _z.ZLIB_RUNTIME_VERSION


def _running(v: Any, fname: str) -> int:
    # (int) luaL_checkinteger(L, 1), widened to uLong: only the low 32 bits matter
    return check_int(v, 1, fname) & 0xFFFFFFFF


def _checksum(
    args: tuple[Any, ...], fname: str, initial: float, update: Callable[[bytes, int], int]
) -> float:
    # lzlib's adler32 and crc32 are one C shape: no argument gives the initial value,
    # (running, buffer) the updated one
    if not args:
        return initial
    running = _running(args[0], fname)
    buf = check_str(args[1] if len(args) > 1 else NOARG, 2, fname)
    return float(update(_b(buf), running))


def adler32(*args: Any) -> float:
    """``adler32()`` is the initial value; ``adler32(adler, buffer)`` updates it."""
    return _checksum(args, "zlib.adler32", 1.0, _z.adler32)


def crc32(*args: Any) -> float:
    """``crc32()`` is the initial value; ``crc32(crc, buffer)`` updates it."""
    return _checksum(args, "zlib.crc32", 0.0, _z.crc32)


def _opt(v: Any, n: int, fname: str, default: int) -> int:
    return default if v is None else check_int(v, n, fname)


def compress(
    buffer: Any = None,
    level: Any = None,
    method: Any = None,
    windowBits: Any = None,
    memLevel: Any = None,
    strategy: Any = None,
    *_: Any,
) -> tuple[Any, float]:
    """Compress a whole buffer: ``data, 1.0`` (``nil, -2.0`` for bad parameters)."""
    data = _b(check_str(buffer, 1, "zlib.compress"))
    f = "zlib.compress"
    try:
        c = _z.compressobj(
            _opt(level, 2, f, -1), _opt(method, 3, f, _z.DEFLATED), _opt(windowBits, 4, f, 15),
            _opt(memLevel, 5, f, 8), _opt(strategy, 6, f, 0),
        )  # fmt: skip
    except (ValueError, _z.error):
        return None, -2.0
    return _s(c.compress(data) + c.flush()), 1.0


def decompress(buffer: Any = None, windowBits: Any = None, *_: Any) -> str:
    """Decompress a whole buffer (trailing bytes after the stream are ignored)."""
    data = _b(check_str(buffer, 1, "zlib.decompress"))
    wb = _opt(windowBits, 2, "zlib.decompress", 15)
    try:
        d = _z.decompressobj(wb)
        out = d.decompress(data)
    except (ValueError, _z.error):
        lua_error("failed to process zlib stream")
    if not d.eof:
        lua_error("failed to process zlib stream")  # nmap: endless loop
    return _s(out)


class _Stream(Userdata):
    """An lzlib stream (inflate or deflate) as userdata with lzlib's methods.

    Argument numbers in errors count ``self`` as #1, as the C code does (Lua turns them
    into "calling 'read' on bad self" / "#1" for method calls)."""

    _lua_typename = "zlib.stream"
    _lua_methods = ("adler", "close", "flush", "lines", "read", "write")

    kind = "stream"

    def __init__(self) -> None:
        self.closed = False
        self.check = 1  # zstream.adler

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {"__tostring": _Stream._tostring, "__gc": lambda *_: ()}

    @staticmethod
    def _tostring(self: Any = None, *_: Any) -> str:
        return f"zlib {self.kind} stream (0x{id(self):012x})"

    def _check(self, method: str = "?") -> None:
        if self.closed:
            arg_error(1, method, "attempt to use invalid zlib stream")

    def adler(self, *_: Any) -> float:
        self._check("adler")
        return float(self.check)

    def close(self, *_: Any) -> Any:
        self.closed = True
        return True

    def flush(self, *_: Any) -> Any:
        self._check()
        return True

    def read(self, *_: Any) -> Any:
        self._check()
        return None

    def write(self, *_: Any) -> Any:
        self._check()
        return True

    def lines(self, *_: Any) -> Any:
        self._check("lines")

        def it(*_: Any) -> Any:
            return self.read("*l")

        return it


class InflateStream(_Stream):
    """A readable stream of decompressed data from ``source``."""

    kind = "inflate"

    def __init__(self, source: Any, wbits: int, dictionary: str | None) -> None:
        super().__init__()
        self.source = source
        self.z = (
            _z.decompressobj(wbits, zdict=_b(dictionary)) if dictionary else _z.decompressobj(wbits)
        )
        self.buf = b""
        self.eof = False
        self.wbits = wbits
        self.fmt: str | None = None  # "zlib", "gzip" or "raw" once the header is seen
        self.check = 1  # zstream.adler: adler32 (zlib) or crc32 (gzip) of the output

    def adler(self, *_: Any) -> float:
        self._check("adler")
        return float(self.check)

    def _account(self, chunk: bytes, out: bytes) -> None:
        if self.fmt is None:
            if self.wbits < 0:
                self.fmt = "raw"
            elif self.wbits >= 32 and chunk[:2] == b"\x1f\x8b" or 16 <= self.wbits < 32:
                self.fmt = "gzip"
                self.check = 0
            else:
                self.fmt = "zlib"
        if self.fmt == "zlib":
            self.check = _z.adler32(out, self.check)
        elif self.fmt == "gzip":
            self.check = _z.crc32(out, self.check)

    def _more(self) -> bool:
        """Decompress more input; False at the end of the stream."""
        if self.z.eof or self.eof:
            self.eof = True
            return False
        src = self.source
        if isinstance(src, str):
            chunk: Any = src
            self.source = None
        elif src is None:
            chunk = None
        elif isinstance(src, LuaTable) or isinstance(src, Userdata):
            chunk = ops.first(ops.invoke(src, "read"))
        else:
            chunk = ops.first(ops.call(src))
        if chunk is None or chunk == "":
            self.buf += self.z.flush() if not self.z.eof else b""
            self.eof = True
            return False
        data = _b(ops.tostring(chunk))
        try:
            out = self.z.decompress(data)
        except _z.error as e:
            code = str(e).split()[1] if str(e).startswith("Error ") else "-3"
            lua_error(f"failed to decompress [{code}]")
        self._account(data, out)
        self.buf += out
        if self.z.eof:
            self.eof = True
        return True

    def _fill(self, n: int | None = None, line: bool = False) -> None:
        while not self.eof:
            if n is not None and len(self.buf) >= n:
                return
            if line and b"\n" in self.buf:
                return
            self._more()

    def read(self, *args: Any) -> Any:
        self._check("read")
        how = args[0] if args else "*l"
        if isinstance(how, int | float) and not isinstance(how, bool):
            n = check_int(how, 2, "read")
            if n == 0:
                self._fill(1)
                return "" if self.buf else None
            self._fill(n)
            if not self.buf:
                return None
            out, self.buf = self.buf[:n], self.buf[n:]
            return _s(out)
        if not isinstance(how, str):
            arg_error(2, "read", "invalid option")
        if how[:2] == "*a":
            self._fill()
            out, self.buf = self.buf, b""
            return _s(out)
        if how[:2] == "*l":
            self._fill(line=True)
            if not self.buf:
                return None
            i = self.buf.find(b"\n")
            if i < 0:
                out, self.buf = self.buf, b""
            else:
                out, self.buf = self.buf[:i], self.buf[i + 1 :]
            return _s(out)
        return arg_error(2, "read", "invalid format")

    def close(self, *_: Any) -> Any:
        self.closed = True
        return True


class DeflateStream(_Stream):
    """A writable stream compressing into ``sink`` (a function or an object with write)."""

    kind = "deflate"

    def __init__(self, sink: Any, z: Any) -> None:
        super().__init__()
        self.sink = sink
        self.z = z
        self.check = 1  # adler32 of the data written so far

    def _check(self, method: str = "?") -> None:
        # measured: after flush("finish") the stream is no longer usable
        if self.closed or self.z_finished:
            arg_error(1, method, "attempt to use invalid zlib stream")

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        if isinstance(self.sink, LuaTable) or isinstance(self.sink, Userdata):
            ops.invoke(self.sink, "write", _s(data))
        else:
            ops.call(self.sink, _s(data))

    def write(self, *args: Any) -> Any:
        self._check("write")
        for i, a in enumerate(args, 1):
            data = _b(check_str(a, i + 1, "write"))
            self.check = _z.adler32(data, self.check)
            self._emit(self.z.compress(data))
        return True

    _FLUSH = {"sync": _z.Z_SYNC_FLUSH, "full": _z.Z_FULL_FLUSH, "finish": _z.Z_FINISH}

    def flush(self, *args: Any) -> Any:
        self._check("flush")
        how = args[0] if args and args[0] is not None else "sync"
        mode = self._FLUSH.get(how) if isinstance(how, str) else None
        if mode is None:
            arg_error(2, "flush", f"invalid option '{ops.tostring(how)}'")
        if mode == _z.Z_FINISH:
            if not self.z_finished:
                self._emit(self.z.flush(mode))
                self.z_finished = True
        else:
            self._emit(self.z.flush(mode))
        return True

    z_finished = False

    def close(self, *_: Any) -> Any:
        if not self.closed:
            if not self.z_finished:
                self._emit(self.z.flush(_z.Z_FINISH))
                self.z_finished = True
            self.closed = True
        return True


def inflate(
    source: Any = None, windowBits: Any = None, dictionary: Any = None, *_: Any
) -> InflateStream:
    """An inflate stream over ``source`` (a string, a function returning chunks, or an
    object with a ``read`` method)."""
    wb = _opt(windowBits, 2, "zlib.inflate", 15 + 32)
    d = check_str(dictionary, 3, "zlib.inflate") if dictionary is not None else None
    try:
        return InflateStream(source, wb, d)
    except (ValueError, _z.error):
        return lua_error("failed to initialize zlib stream")


def deflate(
    sink: Any = None,
    level: Any = None,
    method: Any = None,
    windowBits: Any = None,
    memLevel: Any = None,
    strategy: Any = None,
    dictionary: Any = None,
    *_: Any,
) -> DeflateStream:
    """A deflate stream writing compressed data to ``sink``."""
    f = "zlib.deflate"
    d = check_str(dictionary, 7, f) if dictionary is not None else None
    try:
        args = (
            _opt(level, 2, f, -1), _opt(method, 3, f, _z.DEFLATED), _opt(windowBits, 4, f, 15),
            _opt(memLevel, 5, f, 8), _opt(strategy, 6, f, 0),
        )  # fmt: skip
        z = _z.compressobj(*args, zdict=_b(d)) if d else _z.compressobj(*args)
    except (ValueError, _z.error):
        return lua_error("failed to initialize zlib stream")
    return DeflateStream(sink, z)
