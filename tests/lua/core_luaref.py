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
