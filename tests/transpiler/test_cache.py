"""transpiler.cache.load_cached: convert once, then load the cached code object."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpiler import ConvertError
from transpiler.cache import cache_dir, load_cached

PROG = b"""local t = {}
local function f(x) return x.field end
local ok, err = pcall(f, nil)
return ok, err, "\\xff"
"""


def test_load_cached_roundtrip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nse.lua.baselib")
    from nse.lua.baselib import new_env

    monkeypatch.setenv("NSE_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "prog.lua"
    src.write_bytes(PROG)
    expected = (False, f"{src}:2: attempt to index a nil value (local 'x')", "\xff")
    first = load_cached(src)(new_env())()
    assert first == expected
    entries = list(cache_dir().glob("*.code"))
    assert len(entries) == 1
    # second load comes from the cache entry (same positions and variable names)
    again = load_cached(src)(new_env())()
    assert again == expected
    # a changed source is a new entry, never the stale one
    src.write_bytes(PROG.replace(b"field", b"other"))
    assert load_cached(src)(new_env())()[0] is False
    assert len(list(cache_dir().glob("*.code"))) == 2
    # a corrupt entry is rebuilt
    for e in cache_dir().glob("*.code"):
        e.write_bytes(b"garbage")
    assert load_cached(src)(new_env())()[1] == expected[1]


def test_load_cached_syntax_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NSE_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "bad.nse"
    src.write_bytes(b"x = = 1\n")
    with pytest.raises(ConvertError) as ei:
        load_cached(src, "bad.nse")
    assert str(ei.value) == "bad.nse:1: unexpected symbol near '='"
