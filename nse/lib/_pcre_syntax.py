"""PCRE quantifier syntax, shared by the two PCRE -> Python ``re`` translators: the Lua
``pcre`` library (:mod:`nse.lib.pcre`) and nmap-service-probes matching
(:mod:`nse.scan.vscan.pcre`).  They differ in what they accept, how they report errors
and what they compile to (``str`` or ``bytes`` patterns), but read quantifiers alike.

PCRE (``pcrepattern``, "Repetition"): ``{n}``, ``{n,}`` and ``{n,m}`` are quantifiers and
any other ``{`` is a literal character (Python would read ``{,m}`` as a quantifier); a
quantifier followed by ``+`` is possessive and by ``?`` lazy (Python 3.11 has both);
under the UNGREEDY option (``(?U)``) a plain quantifier is lazy and a ``?``-suffixed one
greedy.  No import beyond ``re``: the scanner loads this without the Lua runtime.
"""

from __future__ import annotations

import re

__all__ = ["QuantifierSyntax"]

_BRACE = re.compile(r"\{(\d+)(,(\d*))?\}")


class QuantifierSyntax:
    """Mixin for a translator holding the pattern ``p``, the position ``i`` in it, the
    output pieces ``out`` and the ``ungreedy`` state."""

    p: str
    i: int
    out: list[str]
    ungreedy: bool

    def quantifier_suffix(self) -> None:
        """After a quantifier was written: keep a possessive ``+`` or a lazy ``?``, and
        apply UNGREEDY by swapping plain and ``?``-suffixed."""
        nxt = self.p[self.i] if self.i < len(self.p) else ""
        if nxt == "+":
            self.out.append("+")
            self.i += 1
        elif nxt == "?":
            self.i += 1
            if not self.ungreedy:
                self.out.append("?")
        elif self.ungreedy:
            self.out.append("?")

    def brace(self) -> None:
        """At a ``{``: a PCRE counted quantifier (with its suffix), else a literal ``{``."""
        m = _BRACE.match(self.p, self.i)
        if m is None:
            self.out.append("\\{")
            self.i += 1
            return
        self.out.append(m.group(0))
        self.i = m.end()
        self.quantifier_suffix()
