"""Every nmap script (scripts/*.nse) and library (nselib/*.lua) converts and compiles.

Runs the real ``nse convert`` machinery (2 worker processes, content-hash cache): once
cold with an empty cache, once warm (everything must come from the cache).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from transpiler.cache import convert_paths

NMAP = Path("/usr/share/nmap")

pytestmark = [pytest.mark.nmap, pytest.mark.slow]


@pytest.mark.skipif(not (NMAP / "scripts").is_dir(), reason="nmap not installed")
def test_nmap_corpus_converts_and_compiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NSE_CACHE_DIR", str(tmp_path / "cache"))
    files = sorted((NMAP / "scripts").glob("*.nse")) + sorted((NMAP / "nselib").glob("*.lua"))
    assert len(files) > 700
    t0 = time.monotonic()
    cold = convert_paths(files, tmp_path / "out", jobs=2)
    t1 = time.monotonic()
    warm = convert_paths(files, tmp_path / "out", jobs=2)
    t2 = time.monotonic()
    errors = [r.error for r in cold if r.error is not None]
    assert errors == []
    assert all(r.cached for r in warm)
    assert all(r.dst.is_file() for r in cold)
    # the Python text of a library compiles (checked by the workers) and names its source
    head = (tmp_path / "out" / "stdnse.py").read_text(encoding="utf-8").splitlines()[0]
    assert "stdnse.lua" in head and "sha256" in head
    with capsys.disabled():
        print(f"\nnmap corpus: {len(files)} files, cold {t1 - t0:.1f} s, warm {t2 - t1:.2f} s")
