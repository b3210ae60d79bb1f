"""Run Lua snippets through the reference interpreter ``lua5.4`` for comparison tests."""

from __future__ import annotations

import shutil
import subprocess

import pytest

LUA = shutil.which("lua5.4")

needs_lua = pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")


def run_lua(src: str) -> str:
    """Run ``src`` with lua5.4 and return its stdout decoded latin-1."""
    assert LUA is not None
    r = subprocess.run([LUA, "-"], input=src.encode("latin-1"), capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr.decode("latin-1")
    return r.stdout.decode("latin-1")


def lua_quote(s: str) -> str:
    """A Lua string literal for ``s`` (every char < 256)."""
    return '"' + "".join(f"\\{ord(c)}" for c in s) + '"'


def run_ours(src: str, chunkname: str = "input") -> str:
    """Run ``src`` through the transpiler on a fresh ``new_env()``; stdout as text, with an
    uncaught error reported as lua5.4's standalone interpreter would print its message."""
    import io
    import re
    import sys

    import transpiler
    from nse.lua.baselib import new_env
    from nse.lua.errors import from_python_exception

    out = io.BytesIO()
    old = sys.stdout
    w = io.TextIOWrapper(out, encoding="latin-1", write_through=True)
    sys.stdout = w
    try:
        f = transpiler.compile_chunk(src, chunkname)(new_env())
        try:
            f()
        except Exception as e:  # noqa: BLE001
            print("ERROR:", from_python_exception(e).value, sep="\t")
        sys.stdout.flush()
        data = out.getvalue()
    finally:
        sys.stdout = old
        w.detach()
    return re.sub(r"0x[0-9a-f]+", "ADDR", data.decode("latin-1"))


def run_ref(src: str, chunkname: str = "input") -> str:
    """``run_lua`` with the chunk named like ``run_ours`` and addresses masked."""
    import re

    wrapped = (
        f"local f = assert(load({lua_quote(src)}, '={chunkname}'))\n"
        "local ok, e = pcall(f) if not ok then print('ERROR:', e) end\n"
    )
    return re.sub(r"0x[0-9a-f]+", "ADDR", run_lua(wrapped))
