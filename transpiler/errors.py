"""The one exception of the transpiler (its own module so that importing ``transpiler``
for a cached chunk does not import the parser and the code generator)."""

from __future__ import annotations

__all__ = ["ConvertError"]


class ConvertError(Exception):
    """A Lua chunk that cannot be converted; ``str()`` is ``"file:line: message"``
    (just the message when ``line`` is 0)."""

    def __init__(self, chunkname: str, line: int, msg: str) -> None:
        # line 0: no position, as Lua reports "C stack overflow" while parsing
        super().__init__(f"{chunkname}:{line}: {msg}" if line else msg)
        self.chunkname = chunkname
        self.line = line
        self.msg = msg
