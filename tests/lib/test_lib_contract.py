"""The nse.lib contract: every library module builds a Lua table of Lua values."""

from __future__ import annotations

from typing import Any

import pytest

from nse.lib import lua_module, lua_name_map, module_names
from nse.lua.luatable import LuaTable

OURS = [
    "base32", "base64", "bin", "bits", "creds", "datafiles", "datetime", "ipOps", "json", "lfs",
    "libssh2", "listop", "lpeg", "openssl", "outlib", "pcre", "rand", "strbuf", "stringaux", "tab",
    "tableaux", "unicode", "unpwdb", "url", "zlib",
]  # fmt: skip


def _is_lua_value(v: Any) -> bool:
    return (
        v is None
        or isinstance(v, bool | int | float | LuaTable)
        or callable(v)
        or (isinstance(v, str) and all(ord(c) < 256 for c in v))
    )


@pytest.mark.parametrize("name", OURS)
def test_module_table(name: str) -> None:
    assert name in module_names()
    t = lua_module(name)
    assert lua_module(name) is t  # cached
    fresh = lua_module(name, fresh=True)
    assert fresh is not t
    import importlib

    mod = importlib.import_module(f"nse.lib.{name}")
    for py, lua in lua_name_map(mod).items():
        v = t[lua]
        assert v is getattr(mod, py), (name, lua)
        assert _is_lua_value(v), (name, lua, type(v))


def test_renamed_names() -> None:
    assert lua_module("lpeg")["type"] is not None
    assert lua_module("lpeg")["type_"] is None


def test_unknown_and_helper_modules() -> None:
    for name in ("no_such_module", "datadir", "_util", "lpeg-utility", "../x"):
        with pytest.raises(ImportError):
            lua_module(name)


def test_wide_python_text_is_utf8_encoded() -> None:
    """Text above U+00FF from Python code enters the Lua world UTF-8-encoded."""
    from nse.lib import base64, openssl, url

    assert base64.enc("é€") == base64.enc("é€".encode().decode("latin-1"))
    assert openssl.md5("€") == openssl.md5("\xe2\x82\xac")
    assert url.escape("€") == "%E2%82%AC"
