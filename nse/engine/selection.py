"""``--script`` selection expressions, evaluated exactly as nse_main.lua does.

nmap splits the ``--script`` value at every comma (no nesting: ``(a or b),c`` is two
rules), strips surrounding white space and a leading ``+`` (force the script to run
whatever its rules say), and then, for every entry of the script database in file order,
matches each rule with this LPeg grammar (``get_chosen_scripts`` in nse_main.lua)::

    top       = space* expression space* !.
    expression= disjunct / conjunct / value
    disjunct  = (conjunct / value) space* K"or" space* expression      -> a or b
    conjunct  = value space* K"and" space* expression                  -> a and b
    value     = K"not" space* value / "(" space* expression space* ")"
              / K"true" / K"false" / category / path
    category  = K"all" / K(c) for each category c of THIS entry        -> true
    path      = [\\33-\\39\\42-\\126]+      -> glob match against the entry's basename

``K(w)`` is ``w`` case-insensitively followed by space, ``(``, ``)``, ``,`` or the end.
The grammar is a PEG: choices are ordered and committed, so for instance ``a and b or c``
parses as ``a and (b or c)`` (``conjunct`` greedily takes ``b or c`` as its expression);
we reproduce that.  Because the category alternative only knows the entry's own categories,
a category word on an entry without it falls through to ``path`` and is a (false) glob.
A path glob only knows ``*``; the basename comparison is case-sensitive, keywords and
categories are not.  An entry is "selected by name" when any path of the successful parse
matched it (LPeg evaluates the captures of the final parse only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "Rule",
    "Match",
    "split_rules",
    "parse_rule",
    "match_rule",
    "glob_matches",
    "entry_basename",
    "SelectionError",
    "Chosen",
    "choose_scripts",
]

_SPACE = frozenset(" \t\n\v\f\r")
_KEYWORD_END = _SPACE | {"(", ")", ","}


def _is_path_char(c: str) -> bool:
    o = ord(c)
    return 33 <= o <= 39 or 42 <= o <= 126


@dataclass(frozen=True)
class Rule:
    """One comma-separated element of ``--script``."""

    text: str  # stripped, without the leading "+"
    forced: bool  # written with a leading "+"


@dataclass(frozen=True)
class Match:
    """The result of one rule against one entry."""

    selected: bool
    by_name: bool


def split_rules(spec: str) -> list[str]:
    """Split a ``--script`` value at every comma, as nmap's option parsing does."""
    return spec.split(",")


def parse_rule(raw: str) -> Rule | None:
    """Strip white space and the ``+`` prefix; ``None`` for an empty rule (ignored)."""
    text = raw.strip(" \t\n\v\f\r")  # match(rule, "^%s*(.-)%s*$")
    forced = text.startswith("+")
    if forced:
        text = text[1:]
    if text == "":
        return None
    return Rule(text, forced)


def entry_basename(filename: str) -> str:
    """``match(filename, "([^/\\\\]-)%.nse$") or match(filename, "([^/\\\\]-)$")``."""
    base = re.split(r"[/\\]", filename)[-1]
    if base.endswith(".nse"):
        return base[:-4]
    if base.endswith(".py"):  # our Python scripts (never in nmap's own database)
        return base[:-3]
    return base


def _glob_regex(path: str) -> re.Pattern[str]:
    if path.endswith(".nse"):
        path = path[:-4]
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in path), re.DOTALL)


def glob_matches(path: str, basename: str) -> bool:
    """nse_main.lua's ``match_script``: ``*`` is the only wildcard, anchored both ends."""
    return _glob_regex(path).fullmatch(basename) is not None


class _Eval:
    """The PEG above, for one entry.  Each method returns ``(value, by_name, end)``."""

    def __init__(self, s: str, categories: Iterable[str], basename: str) -> None:
        self.s = s
        self.n = len(s)
        self.cats = {c.lower() for c in categories}
        self.basename = basename
        self.memo: dict[tuple[str, int], tuple[bool, bool, int] | None] = {}

    def sp(self, p: int) -> int:
        while p < self.n and self.s[p] in _SPACE:
            p += 1
        return p

    def kw(self, p: int, word: str) -> int | None:
        end = p + len(word)
        if self.s[p:end].lower() != word:
            return None
        if end < self.n and self.s[end] not in _KEYWORD_END:
            return None
        return end

    def top(self) -> tuple[bool, bool] | None:
        r = self.expression(self.sp(0))
        if r is None:
            return None
        v, byname, p = r
        if self.sp(p) != self.n:
            return None
        return v, byname

    def expression(self, p: int) -> tuple[bool, bool, int] | None:
        # Packrat memo: the alternatives re-parse the same prefixes many times.
        key = ("e", p)
        if key not in self.memo:
            self.memo[key] = self.disjunct(p) or self.conjunct(p) or self.value(p)
        return self.memo[key]

    def disjunct(self, p: int) -> tuple[bool, bool, int] | None:
        a = self.conjunct(p) or self.value(p)
        if a is None:
            return None
        q = self.kw(self.sp(a[2]), "or")
        if q is None:
            return None
        b = self.expression(self.sp(q))
        if b is None:
            return None
        return (a[0] or b[0]), (a[1] or b[1]), b[2]

    def conjunct(self, p: int) -> tuple[bool, bool, int] | None:
        a = self.value(p)
        if a is None:
            return None
        q = self.kw(self.sp(a[2]), "and")
        if q is None:
            return None
        b = self.expression(self.sp(q))
        if b is None:
            return None
        return (a[0] and b[0]), (a[1] or b[1]), b[2]

    def value(self, p: int) -> tuple[bool, bool, int] | None:
        key = ("v", p)
        if key not in self.memo:
            self.memo[key] = self._value(p)
        return self.memo[key]

    def _value(self, p: int) -> tuple[bool, bool, int] | None:
        q = self.kw(p, "not")
        if q is not None:
            r = self.value(self.sp(q))
            if r is not None:
                return (not r[0]), r[1], r[2]
        if p < self.n and self.s[p] == "(":
            r = self.expression(self.sp(p + 1))
            if r is not None:
                q = self.sp(r[2])
                if q < self.n and self.s[q] == ")":
                    return r[0], r[1], q + 1
        for word, val in (("true", True), ("false", False)):
            q = self.kw(p, word)
            if q is not None:
                return val, False, q
        # category: "all" or one of this entry's categories
        q = self.kw(p, "all")
        if q is not None:
            return True, False, q
        end = p
        while end < self.n and _is_path_char(self.s[end]):
            end += 1
        if end > p:
            # K(c): the category case-insensitively, then a keyword boundary.
            for cat in self.cats:
                q = self.kw(p, cat)
                if q is not None:
                    return True, False, q
            found = glob_matches(self.s[p:end], self.basename)
            return found, found, end
        return None


def match_rule(rule: str, categories: Iterable[str], basename: str) -> Match | None:
    """Evaluate one rule text against an entry; ``None`` when the rule does not parse."""
    r = _Eval(rule, categories, basename).top()
    if r is None:
        return None
    return Match(selected=r[0], by_name=r[1])


class SelectionError(ValueError):
    """A rule matched nothing (nmap: ``'x' did not match a category, filename, or directory``)."""


@dataclass(frozen=True)
class Chosen:
    """One script chosen by :func:`choose_scripts`."""

    path: str  # the file to load
    forced: bool  # "+rule": run whatever the rules say
    by_name: bool  # selected by name or path: the script gets one more verbosity level
    selection: str  # "name", "category", "file path" or "directory" (for -d2 messages)


# fetch(name) -> (kind, path): kind is "file", "directory" (name ends with "/"),
# "bare_directory" (a directory named without "/") or None when nothing exists.
FetchResult = tuple[str | None, str]


def choose_scripts(
    rules: Iterable[str],
    entries: Iterable[tuple[str, Iterable[str]]],
    fetch: Callable[[str], FetchResult],
    list_dir: Callable[[str], Iterable[str]] | None = None,
    optional: Iterable[str] = (),
) -> list[Chosen]:
    """Pick scripts as nse_main.lua's ``get_chosen_scripts`` does.

    ``rules`` are the comma-split ``--script`` elements; ``entries`` the script database in
    file order as ``(filename, categories)``; ``fetch`` resolves a database filename or a
    rule to a file or directory (nmap's ``cnse.fetchscript``).  Database matches come first
    (in database order), then rules that matched no entry, loaded as files or directories.
    A rule in ``optional`` that matches nothing is no error (nmap: "version" added by -sV).
    """
    optional = set(optional)
    parsed: list[Rule] = []
    for raw in rules:
        r = parse_rule(raw)
        if r is not None and r.text not in {p.text for p in parsed}:
            parsed.append(r)
        elif r is not None:
            # the same rule twice: nmap keys used/forced by text, the last "+" wins
            parsed = [p if p.text != r.text else r for p in parsed]
    used = {r.text: False for r in parsed}
    chosen: list[Chosen] = []
    loaded: set[str] = set()
    for filename, categories in entries:
        cats = list(categories)
        base = entry_basename(filename)
        for rule in parsed:
            m = match_rule(rule.text, cats, base)
            if m is None:
                raise SelectionError(f"'{rule.text}' is not a valid selection expression")
            if not m.selected:
                continue
            used[rule.text] = True
            kind, path = fetch(filename)
            if kind != "file":
                # nmap: "Warning: Could not load '%s': %s" and goes on with the next entry
                break
            if path not in loaded:
                loaded.add(path)
                chosen.append(Chosen(path, rule.forced, m.by_name,
                                     "name" if m.by_name else "category"))
    for rule in parsed:
        if used[rule.text]:
            continue
        kind, path = fetch(rule.text)
        if kind is None:
            kind, path = fetch(rule.text + ".nse")
        if kind is None:
            if rule.text in optional:
                continue
            raise SelectionError(
                f"'{rule.text}' did not match a category, filename, or directory")
        if kind == "bare_directory":
            raise SelectionError(f"directory '{path}' found, but will not match without '/'")
        if kind == "file" and path not in loaded:
            loaded.add(path)
            chosen.append(Chosen(path, rule.forced, True, "file path"))
        elif kind == "directory":
            names = list_dir(path) if list_dir is not None else []
            for f in names:
                file = path + "/" + f
                if file.endswith((".nse", ".py")) and file not in loaded:
                    loaded.add(file)
                    chosen.append(Chosen(file, rule.forced, False, "directory"))
    return chosen
