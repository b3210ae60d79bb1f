"""Golden files: tests/transpiler/golden/*.lua -> the .py that ``nse convert`` writes.

A change to the generated code shows up here as a diff to review.  Regenerate with
``NSE_REGEN_GOLDEN=1 pytest tests/transpiler/test_golden.py``.  The generated module
must also run (the file path) with the same output as lua5.4 and as the directly
compiled chunk (the ``compile_chunk`` path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import transpiler

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.lua"))
LUA = shutil.which("lua5.4")


@pytest.mark.parametrize("name", CASES)
def test_golden_source(name: str) -> None:
    src = (GOLDEN / f"{name}.lua").read_bytes().decode("latin-1")
    text = transpiler.to_python_source(src, f"{name}.lua")
    expected = GOLDEN / f"{name}.py"
    if os.environ.get("NSE_REGEN_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    # deterministic: a second conversion is identical
    assert transpiler.to_python_source(src, f"{name}.lua") == text


def _run_chunk(factory, capfdbinary: pytest.CaptureFixture[bytes]) -> bytes:  # type: ignore[no-untyped-def]
    from nse.lua.baselib import new_env

    capfdbinary.readouterr()
    factory(new_env())()
    import sys

    sys.stdout.flush()
    return capfdbinary.readouterr().out


@pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")
@pytest.mark.parametrize("name", CASES)
def test_golden_both_paths_run_like_lua(name: str, capfdbinary: pytest.CaptureFixture[bytes],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("nse.lua.baselib")
    monkeypatch.chdir(GOLDEN)
    ref = subprocess.run([LUA, f"{name}.lua"], capture_output=True, timeout=60).stdout
    src = (GOLDEN / f"{name}.lua").read_bytes().decode("latin-1")
    direct = _run_chunk(transpiler.compile_chunk(src, f"{name}.lua"), capfdbinary)
    text = (GOLDEN / f"{name}.py").read_text(encoding="utf-8")
    g: dict[str, object] = {"__name__": "golden"}
    exec(compile(text, f"{name}.py", "exec"), g)
    via_file = _run_chunk(g["chunk"], capfdbinary)
    assert direct == ref
    assert via_file == ref
