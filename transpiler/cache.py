"""Content-addressed cache of converted chunks, and batch conversion.

Cache directory: ``$NSE_CACHE_DIR`` or ``~/.cache/nse``, subdirectory ``transpiler``.
Keys are the sha256 of (digest of the transpiler's code, chunk name, source bytes), so
a changed source, a changed transpiler or a different name never hits a stale entry.  Two kinds of
entries:

* ``<key>.py``    the Python text ``nse convert`` writes (:func:`convert_text`);
* ``<key>.<impl>.code``  ``marshal`` of (code object, ``__lua_names__``) for
  :func:`load_cached`, which keeps Lua line numbers and exact error names (``impl`` is the
  Python implementation tag: code objects are version specific).

Entries are written atomically (temp file + rename), so parallel workers and
concurrent engines can share the directory.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from transpiler import (
    VERSION,
    ConvertError,
    compile_module,
    exec_code,
    generate,
    to_python_source,
)

__all__ = ["cache_dir", "load_cached", "load_bytes", "convert_text", "convert_paths",
           "ConvertResult"]


def cache_dir() -> Path:
    """The transpiler's cache directory (created on demand)."""
    base = os.environ.get("NSE_CACHE_DIR")
    root = Path(base) if base else Path.home() / ".cache" / "nse"
    return root / "transpiler"


def _transpiler_digest() -> str:
    """Digest of the transpiler's own code: any change to it invalidates the cache, even
    when ``VERSION`` was not bumped."""
    h = hashlib.sha256(VERSION.encode())
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


_DIGEST = _transpiler_digest()


def _key(source_bytes: bytes, chunkname: str) -> str:
    h = hashlib.sha256()
    h.update(f"nse-transpiler {_DIGEST}\0{chunkname}\0".encode())
    h.update(source_bytes)
    return h.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # (lazy: start-up of ``nse lua`` with a warm cache)

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache only costs speed


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _file_text(data: bytes) -> str:
    """A Lua file's bytes as luaL_loadfilex reads them (BOM and '#' first line skipped)."""
    from nse.lua.baselib import chunk_text

    return chunk_text(data)


def load_cached(path: str | os.PathLike[str], chunkname: str | None = None
                ) -> Callable[[Any], Callable[..., Any]]:
    """The ``chunk(_ENV)`` factory of the Lua file ``path``, compiled once and cached.

    ``chunkname`` defaults to ``str(path)`` (what Lua prints for a file).  Raises
    :class:`ConvertError` on a syntax error and ``OSError`` if the file cannot be read."""
    data = Path(path).read_bytes()
    return load_bytes(data, chunkname if chunkname is not None else str(path))


def load_bytes(data: bytes, name: str) -> Callable[[Any], Callable[..., Any]]:
    """The ``chunk(_ENV)`` factory of the bytes of a Lua file named ``name``, compiled
    once and cached (see :func:`load_cached`)."""
    key = _key(data, name)
    entry = cache_dir() / f"{key}.{sys.implementation.cache_tag}.code"
    blob = _read(entry)
    if blob is not None:
        try:
            code, names = marshal.loads(blob)
            return exec_code(code, names, name)
        except (ValueError, EOFError, TypeError):
            pass  # corrupt entry: rebuild it
    mod, names = generate(_file_text(data), name)
    code = compile_module(mod, name)
    _write_atomic(entry, marshal.dumps((code, names)))
    return exec_code(code, names, name)


def convert_text(data: bytes, chunkname: str) -> str:
    """The Python text for Lua source bytes, from the cache when possible."""
    key = _key(data, chunkname)
    entry = cache_dir() / f"{key}.py"
    blob = _read(entry)
    if blob is not None:
        return blob.decode("utf-8")
    text = to_python_source(_file_text(data), chunkname)
    _write_atomic(entry, text.encode("utf-8"))
    return text


class ConvertResult:
    """Outcome of converting one file: ``error`` is None on success."""

    __slots__ = ("src", "dst", "error", "cached")

    def __init__(self, src: Path, dst: Path, error: str | None, cached: bool) -> None:
        self.src = src
        self.dst = dst
        self.error = error
        self.cached = cached


def _chunkname(src: Path) -> str:
    return src.name


def _job(src: str, dst: str, check_compile: bool) -> tuple[str | None, bool]:
    """Convert one file (runs in a worker process)."""
    p = Path(src)
    try:
        data = p.read_bytes()
    except OSError as e:
        return f"{src}: cannot read: {e.strerror}", False
    name = _chunkname(p)
    cached = (cache_dir() / f"{_key(data, name)}.py").exists()
    try:
        text = convert_text(data, name)
        if check_compile and not cached:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                compile(text, dst, "exec", dont_inherit=True)
    except ConvertError as e:
        return (f"{src}:{e.line}: {e.msg}" if e.line else f"{src}: {e.msg}"), False
    except (RecursionError, SyntaxError, ValueError) as e:  # pragma: no cover - our bug
        return f"{src}:1: internal error: {type(e).__name__}: {e}", False
    d = Path(dst)
    old = _read(d)
    if old != text.encode("utf-8"):
        try:
            d.parent.mkdir(parents=True, exist_ok=True)
            d.write_text(text, encoding="utf-8")
        except OSError as e:
            return f"{dst}: cannot write: {e.strerror}", False
    return None, cached


def collect(paths: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str] | None
            ) -> list[tuple[Path, Path]]:
    """(source, destination) for every .nse/.lua file named or found under the paths.

    Without ``outdir`` each ``.py`` goes next to its source.  With it, a folder's files
    keep their path relative to the folder; when several paths are given, each folder's
    files go in a subfolder named after the folder (so two folders never collide)."""
    plist = [Path(p) for p in paths]
    pairs: list[tuple[Path, Path]] = []
    for p in plist:
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix in (".nse", ".lua")
                           and f.is_file())
            root = None
            if outdir is not None:
                root = Path(outdir) / p.resolve().name if len(plist) > 1 else Path(outdir)
            for f in files:
                base = root / f.relative_to(p) if root is not None else f
                pairs.append((f, base.with_suffix(".py")))
        else:
            base = Path(outdir) / p.name if outdir is not None else p
            pairs.append((p, base.with_suffix(".py")))
    return pairs


def convert_paths(paths: Iterable[str | os.PathLike[str]],
                  outdir: str | os.PathLike[str] | None = None, jobs: int = 2,
                  check_compile: bool = True) -> list[ConvertResult]:
    """Convert files and folders (recursively) to ``.py`` files, in parallel.

    Files whose conversion is cached are handled in this process (near free); the others
    go to a pool of ``jobs`` processes.  A failing file never stops the others."""
    pairs = collect(paths, outdir)
    results: dict[int, ConvertResult] = {}
    todo: list[int] = []
    for i, (src, dst) in enumerate(pairs):
        try:
            data = src.read_bytes()
        except OSError:
            todo.append(i)
            continue
        if (cache_dir() / f"{_key(data, _chunkname(src))}.py").exists():
            err, cached = _job(str(src), str(dst), check_compile)
            results[i] = ConvertResult(src, dst, err, cached)
        else:
            todo.append(i)
    if len(todo) > 2 and jobs > 1:
        from concurrent.futures import ProcessPoolExecutor  # (lazy: start-up time)

        with ProcessPoolExecutor(max_workers=jobs) as ex:
            futs = {i: ex.submit(_job, str(pairs[i][0]), str(pairs[i][1]), check_compile)
                    for i in todo}
            for i, fut in futs.items():
                err, cached = fut.result()
                results[i] = ConvertResult(pairs[i][0], pairs[i][1], err, cached)
    else:
        for i in todo:
            err, cached = _job(str(pairs[i][0]), str(pairs[i][1]), check_compile)
            results[i] = ConvertResult(pairs[i][0], pairs[i][1], err, cached)
    return [results[i] for i in range(len(pairs))]

