"""``require "lfs"``: nmap's subset of LuaFileSystem 1.5.0 (dir, link, mkdir, rmdir,
get_path_separator), measured on nmap 7.93.

Results follow lfs: success is ``true``; ``mkdir``/``rmdir`` failures are ``nil, strerror``
and ``link`` failures ``nil, strerror, errno``; ``dir`` raises ``cannot open PATH: strerror``
and returns an iterator function plus a ``directory metatable`` userdata (with ``next``
and ``close``) whose entries include ``.`` and ``..`` in the order the OS gives them.
"""

from __future__ import annotations

import os
from typing import Any

from nse.lib._util import Userdata, check_str, lua_error
from nse.lua.errors import NOARG, arg_error, type_error

__all__ = [
    "dir", "link", "mkdir", "rmdir", "get_path_separator", "_COPYRIGHT", "_DESCRIPTION",
    "_VERSION",
]  # fmt: skip

_COPYRIGHT = "Copyright (C) 2003-2009 Kepler Project"
_DESCRIPTION = (
    "LuaFileSystem is a Lua library developed to complement the set of functions related "
    "to file systems offered by the standard Lua distribution"
)
_VERSION = "LuaFileSystem 1.5.0"


def _enc(path: str) -> bytes:
    return path.encode("latin-1")


def _strerror(e: OSError) -> str:
    return os.strerror(e.errno) if e.errno else str(e)


class DirObj(Userdata):
    """An open directory listing (``directory metatable`` userdata)."""

    _lua_typename = "directory metatable"
    _lua_methods = ("next", "close")

    def __init__(self, path: str) -> None:
        self.entries: list[str] | None = [".", ".."] + [
            n.decode("latin-1") for n in os.listdir(_enc(path))
        ]
        self.pos = 0

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {
            "__tostring": lambda d=None, *_: f"directory metatable: 0x{id(d):012x}",
            "__gc": lambda *_: (),
        }

    def next(self, *_: Any) -> Any:
        if self.entries is None:
            arg_error(1, "?", "closed directory")
        assert self.entries is not None
        if self.pos >= len(self.entries):
            self.entries = None  # lfs closes the directory at the end
            return None
        name = self.entries[self.pos]
        self.pos += 1
        return name

    def close(self, *_: Any) -> tuple[()]:
        self.entries = None
        return ()


def _dir_iter(obj: Any = NOARG, *_: Any) -> Any:
    if not isinstance(obj, DirObj):
        type_error(1, "?", "directory metatable", obj)
    return obj.next()


def dir(path: Any = None, *_: Any) -> tuple[Any, DirObj]:  # noqa: A001 - lfs name
    """``iterator, dir_obj`` over the entries of directory ``path``."""
    p = check_str(path, 1, "lfs.dir")
    try:
        obj = DirObj(p)
    except OSError as e:
        lua_error(f"cannot open {p}: {_strerror(e)}")
    return _dir_iter, obj


def mkdir(path: Any = None, *_: Any) -> Any:
    """Create a directory (mode 0777 minus umask): ``true`` or ``nil, err``."""
    p = check_str(path, 1, "lfs.mkdir")
    try:
        os.mkdir(_enc(p), 0o777)
    except OSError as e:
        return None, _strerror(e)
    return True


def rmdir(path: Any = None, *_: Any) -> Any:
    """Remove an empty directory: ``true`` or ``nil, err``."""
    p = check_str(path, 1, "lfs.rmdir")
    try:
        os.rmdir(_enc(p))
    except OSError as e:
        return None, _strerror(e)
    return True


def link(filepath: Any = None, linkname: Any = None, symbolic: Any = None, *_: Any) -> Any:
    """Create a hard (or, with ``symbolic``, a symbolic) link: ``true`` or
    ``nil, err, errno``."""
    a = check_str(filepath, 1, "lfs.link")
    b = check_str(linkname, 2, "lfs.link")
    try:
        if symbolic is not None and symbolic is not False:
            os.symlink(_enc(a), _enc(b))
        else:
            os.link(_enc(a), _enc(b))
    except OSError as e:
        return None, _strerror(e), e.errno
    return True


def get_path_separator(*_: Any) -> str:
    """``"/"``."""
    return os.sep
