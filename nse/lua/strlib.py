"""The Lua 5.4 ``string`` library (manual §6.4) over byte strings held as ``str``.

A Lua string is a Python ``str`` whose every char is below 256.  Case mapping and
character classes follow the C locale (ASCII only: ``string.upper("\\xe9")`` is
``"\\xe9"``).  Functions take positional arguments; an argument that was not passed is
``NOARG`` (Lua's "no value"), extra arguments are ignored.  Multiple results are tuples.

Patterns live in :mod:`nse.lua.lpattern`, ``string.format`` in :mod:`nse.lua.strformat`,
``string.pack``/``unpack``/``packsize`` in :mod:`nse.lua.strpack`.

Error messages name the function as Lua does when it is called from Lua code
(``bad argument #1 to 'sub'``).

Speed: ``find``/``match`` keep a plan per pattern text (plain search or not, anchor,
compiled program) and call the compiled regex directly; ``gsub`` hands the whole
substitution to ``re.subn`` when the pattern cannot match the empty string (then Python
and Lua 5.4 visit exactly the same matches) with the replacement compiled once per
(pattern, replacement) pair; otherwise it runs lstrlib.c's loop, including the 5.4 rule
that an empty match right where the previous match ended is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nse.lua.errors import (
    NOARG,
    LuaError,
    arg_error,
    check_str,
    opt_str,
    type_error,
    where,
)
from nse.lua.lpattern import (
    SPECIALS,
    _ReProg,
    compile_pattern,
    get_onecapture,
    push_captures,
)
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number
from nse.lua.strformat import str_format
from nse.lua.strpack import check_int, opt_int, str_pack, str_packsize, str_unpack

__all__ = [
    "open_lib",
    "string_table",
    "str_len",
    "str_sub",
    "str_upper",
    "str_lower",
    "str_rep",
    "str_reverse",
    "str_byte",
    "str_char",
    "str_dump",
    "str_find",
    "str_match",
    "str_gmatch",
    "str_gsub",
    "str_format",
    "str_pack",
    "str_packsize",
    "str_unpack",
]

#: lstrlib.c MAXSIZE: string sizes are limited to INT_MAX where size_t is wider.
_MAXSIZE = 0x7FFFFFFF
_UPPER = {c: c - 32 for c in range(97, 123)}
_LOWER = {c: c + 32 for c in range(65, 91)}


def _error(msg: str) -> Any:
    raise LuaError(where(1) + msg)


def _posrelat_i(pos: int, ln: int) -> int:
    """lstrlib.c ``posrelatI``: a start position, negative from the end, clipped to 1."""
    if pos > 0:
        return pos
    if pos == 0 or pos < -ln:
        return 1
    return ln + pos + 1


def _getendpos(pos: int, ln: int) -> int:
    """lstrlib.c ``getendpos``: an end position, negative from the end, clipped to [0, ln]."""
    if pos > ln:
        return ln
    if pos >= 0:
        return pos
    if pos < -ln:
        return 0
    return ln + pos + 1


def _truth(v: Any) -> bool:
    return v is not None and v is not False and v is not NOARG


# --------------------------------------------------------------------------- basics
def str_len(s: Any = NOARG, *_: Any) -> int:
    """string.len (§6.4): the number of bytes."""
    return len(check_str(s, 1, "len"))


def str_sub(s: Any = NOARG, i: Any = NOARG, j: Any = NOARG, *_: Any) -> str:
    """string.sub (§6.4): ``s[i..j]``, negative positions count from the end."""
    if type(s) is not str:
        s = check_str(s, 1, "sub")
    ln = len(s)
    if type(i) is not int:
        i = check_int(i, 2, "sub")
    start = _posrelat_i(i, ln)
    if j is NOARG or j is None:
        end = ln
    else:
        end = _getendpos(j if type(j) is int else check_int(j, 3, "sub"), ln)
    if start <= end:
        return s[start - 1 : end]
    return ""


def str_upper(s: Any = NOARG, *_: Any) -> str:
    """string.upper: ASCII letters only (C locale ``toupper``)."""
    return check_str(s, 1, "upper").translate(_UPPER)


def str_lower(s: Any = NOARG, *_: Any) -> str:
    """string.lower: ASCII letters only (C locale ``tolower``)."""
    return check_str(s, 1, "lower").translate(_LOWER)


def str_reverse(s: Any = NOARG, *_: Any) -> str:
    """string.reverse."""
    return check_str(s, 1, "reverse")[::-1]


def str_rep(s: Any = NOARG, n: Any = NOARG, sep: Any = NOARG, *_: Any) -> str:
    """string.rep (§6.4): ``n`` copies of ``s`` separated by ``sep``."""
    s = check_str(s, 1, "rep")
    n = check_int(n, 2, "rep")
    sep = opt_str(sep, 3, "rep", "")
    if n <= 0:
        return ""
    if len(s) + len(sep) > _MAXSIZE // n:
        _error("resulting string too large")
    if sep:
        return sep.join([s] * n)
    return s * n


def str_byte(s: Any = NOARG, i: Any = NOARG, j: Any = NOARG, *_: Any) -> Any:
    """string.byte (§6.4): the byte values of ``s[i..j]`` (default ``i`` = 1, ``j`` = i)."""
    if type(s) is not str:
        s = check_str(s, 1, "byte")
    ln = len(s)
    if (j is NOARG or j is None) and type(i) is int and 0 < i <= ln:
        return ord(s[i - 1])  # the common s:byte(k)
    pi = opt_int(i, 2, "byte", 1)
    posi = _posrelat_i(pi, ln)
    pose = _getendpos(opt_int(j, 3, "byte", pi), ln)
    if posi > pose:
        return ()
    if pose - posi >= 0x7FFFFFFF:
        _error("string slice too long")
    if posi == pose:
        return ord(s[posi - 1])
    return tuple(s[posi - 1 : pose].encode("latin-1"))


def str_char(*args: Any) -> str:
    """string.char (§6.4): the string of the given byte values."""
    try:
        if all(type(c) is int for c in args):
            return bytes(args).decode("latin-1")  # ValueError when one is out of 0..255
    except ValueError:
        pass
    out = []
    for k, v in enumerate(args, 1):
        c = check_int(v, k, "char")
        if not 0 <= c <= 255:  # (lua_Unsigned)c <= UCHAR_MAX: negatives are out too
            arg_error(k, "char", "value out of range")
        out.append(c)
    return bytes(out).decode("latin-1")


# --------------------------------------------------------------------------- patterns
def _nospecials(p: str) -> bool:
    for ch in SPECIALS:
        if ch in p:
            return False
    return True


# pattern text -> (plain?, anchored?, compiled program); plain means find may use str.find
_plans: dict[str, tuple[bool, bool, Any]] = {}


def _plan(p: str) -> tuple[bool, bool, Any]:
    r = _plans.get(p)
    if r is None:
        if p[:1] == "^":
            r = (False, True, compile_pattern(p[1:]))
        else:
            r = (_nospecials(p), False, compile_pattern(p))
        if len(_plans) > 4096:
            _plans.clear()
        _plans[p] = r
    return r


def _find_aux(s: Any, p: Any, init: Any, plain: Any, find: bool) -> Any:
    fname = "find" if find else "match"
    if type(s) is not str:
        s = check_str(s, 1, fname)
    if type(p) is not str:
        p = check_str(p, 2, fname)
    ls = len(s)
    if init is None or init is NOARG or (type(init) is int and init == 1):
        start = 0
    else:
        start = _posrelat_i(opt_int(init, 3, fname, 1), ls) - 1
        if start > ls:  # start after string's end: cannot find anything
            return None
    isplain, anchor, prog = _plan(p)
    if find and (isplain or (plain is not None and plain is not False and plain is not NOARG)):
        k = s.find(p, start)
        if k < 0:
            return None
        return (k + 1, k + len(p))
    if type(prog) is _ReProg:
        # inlined _ReProg.search/match: this is the hottest path of NSE scripts
        rm = prog.rx.match(s, start) if anchor else prog.rx.search(s, start)
        if rm is None:
            return None
        caps = prog._caps(rm) if prog.poscaps else rm.groups()
        if find:
            return (rm.start() + 1, rm.end()) + caps
        if not caps:
            return rm.group()
        return caps[0] if len(caps) == 1 else caps
    m = prog.match(s, start) if anchor else prog.search(s, start)
    if m is None:
        return None
    st, e, caps = m
    if find:
        if not caps:
            return (st + 1, e)
        return (st + 1, e) + push_captures(s, st, e, caps, False)
    r = push_captures(s, st, e, caps, True)
    return r[0] if len(r) == 1 else r


def str_find(s: Any = NOARG, p: Any = NOARG, init: Any = None, plain: Any = None, *_: Any) -> Any:
    """string.find (§6.4): ``(start, end, captures...)`` of the first match, or nil.
    With ``plain`` (or a pattern without specials) a plain substring search."""
    return _find_aux(s, p, init, plain, True)


def str_match(s: Any = NOARG, p: Any = NOARG, init: Any = None, *_: Any) -> Any:
    """string.match (§6.4): the captures of the first match (or the whole match), or nil."""
    return _find_aux(s, p, init, None, False)


def str_gmatch(s: Any = NOARG, p: Any = NOARG, init: Any = None, *_: Any) -> Callable[..., Any]:
    """string.gmatch (§6.4): an iterator over the matches.  A ``^`` is not an anchor here
    (it matches itself, as in lstrlib.c 5.4).  An empty match right where the previous
    match ended is skipped (5.4 ``lastmatch`` rule)."""
    s = check_str(s, 1, "gmatch")
    p = check_str(p, 2, "gmatch")
    ls = len(s)
    start = _posrelat_i(opt_int(init, 3, "gmatch", 1), ls) - 1
    if start > ls:
        start = ls + 1
    prog = compile_pattern(p)
    state = [start, -1]  # src, lastmatch

    def gmatch_aux(*_: Any) -> Any:
        src, last = state
        while src <= ls:
            m = prog.search(s, src)
            if m is None:
                break
            st, e, caps = m
            if e == last and st == e:
                src = st + 1  # empty match at the end of the previous one: skip a byte
                continue
            state[0] = state[1] = e
            if not caps:
                return s[st:e]
            r = push_captures(s, st, e, caps, True)
            return r[0] if len(r) == 1 else r
        state[0] = src
        return ()

    return gmatch_aux


def _parse_repl(r: str) -> list[Any]:
    """Split a gsub replacement string into literal strings and capture numbers
    (0 = whole match, -1 = the invalid-'%' error, raised when reached as in add_s)."""
    ops: list[Any] = []
    i = 0
    n = len(r)
    while True:
        k = r.find("%", i)
        if k < 0:
            if i < n:
                ops.append(r[i:])
            return ops
        if k > i:
            ops.append(r[i:k])
        d = r[k + 1 : k + 2]
        if d == "%":
            ops.append("%")
        elif "0" <= d <= "9" and d != "":
            ops.append(int(d))
        else:
            ops.append(-1)
            return ops
        i = k + 2


# (pattern, replacement string) -> (parsed replacement, re.sub replacement or None)
_repl_plans: dict[tuple[str, str], tuple[list[Any], Any]] = {}


def _template(ops: list[Any], prog: _ReProg) -> Any:
    """A ``re.sub`` replacement equal to a parsed Lua replacement string, or None when it
    needs the general loop (position captures, errors raised at match time).  A literal
    becomes an escaped template (copied in C); otherwise a small generated function
    concatenating constants and groups (faster than 3.11's template expansion)."""
    consts: list[str] = []
    terms: list[str] = []
    for op in ops:
        if type(op) is str:
            consts.append(op)
            terms.append("_c[%d]" % (len(consts) - 1))
        elif op == 0 or (op == 1 and prog.ncap == 0):
            terms.append("m[0]")
        elif 0 < op <= prog.ncap and op not in prog.poscaps:
            terms.append("m[%d]" % op)
        else:
            return None
    if all(t.startswith("_c") for t in terms):
        return "".join(consts).replace("\\", "\\\\")
    # the expression only holds the generated names _c[i] and m[i]
    return eval("lambda m, _c=_c: " + " + ".join(terms), {"_c": tuple(consts)})


def _repl_value(v: Any, m: Any) -> str:
    """lstrlib.c ``add_value`` after the call/lookup: false/nil keeps the match."""
    if type(v) is str:
        return v
    if v is None or v is False:
        return m.group()  # keep original text
    if type(v) is tuple:
        return _repl_value(v[0] if v else None, m)
    if type(v) is int or type(v) is float:
        return fmt_number(v)
    return _error("invalid replacement value (a %s)" % _typename(v))


def _repl_callback(src: str, prog: _ReProg, repl: Any) -> Callable[[Any], str]:
    """A ``re.sub`` callback doing what lstrlib.c ``add_value`` does for a table or a
    function replacement."""
    if isinstance(repl, LuaTable):
        if prog.ncap == 0:
            return lambda m: _repl_value(_index(repl, m.group()), m)
        caps_of = prog._caps
        return lambda m: _repl_value(_index(repl, caps_of(m)[0]), m)
    if prog.ncap == 0:
        return lambda m: _repl_value(repl(m.group()), m)
    if prog.ncap == 1 and not prog.poscaps:
        return lambda m: _repl_value(repl(m.group(1)), m)
    caps_of = prog._caps
    return lambda m: _repl_value(repl(*caps_of(m)), m)


def _valstr(v: Any) -> str:
    return v if type(v) is str else fmt_number(v)


def _index(t: LuaTable, k: Any) -> Any:
    """``t[k]`` with ``__index`` (lua_gettable)."""
    try:
        from nse.lua.ops import index
    except ImportError:  # the core's operators are not there yet: raw access
        return t[k]
    return index(t, k)


def _typename(v: Any) -> str:
    if isinstance(v, LuaTable):
        return "table"
    if v is True or v is False:
        return "boolean"
    if callable(v):
        return "function"
    from nse.lua.errors import typename

    return typename(v)


def str_gsub(s: Any = NOARG, p: Any = NOARG, repl: Any = NOARG, n: Any = None, *_: Any) -> Any:
    """string.gsub (§6.4): ``(result, count)``.  ``repl`` is a string (``%0``-``%9``,
    ``%%``), a table indexed by the first capture, or a function called with the
    captures; a false/nil result keeps the match."""
    src = s if type(s) is str else check_str(s, 1, "gsub")
    if type(p) is not str:
        p = check_str(p, 2, "gsub")
    ls = len(src)
    max_s = ls + 1 if n is None else opt_int(n, 4, "gsub", ls + 1)
    t = type(repl)
    ops: list[Any] | None = None
    _plain, anchor, prog = _plan(p)
    fast = type(prog) is _ReProg and prog.nonempty and not anchor and max_s > 0
    if t is str or t is int or t is float:
        rs = repl if t is str else _valstr(repl)
        key = (p, rs)
        rp = _repl_plans.get(key)
        if rp is None:
            ops = _parse_repl(rs)
            tpl = _template(ops, prog) if type(prog) is _ReProg and prog.nonempty else None
            rp = (ops, tpl)
            if len(_repl_plans) > 4096:
                _repl_plans.clear()
            _repl_plans[key] = rp
        ops, tpl = rp
        if fast and tpl is not None:
            # No empty matches: Python's re.subn visits exactly Lua's matches.
            r, cnt = prog.rx.subn(tpl, src, count=min(max_s, ls + 1))
            return (r, cnt) if cnt else (src, 0)
    elif not (isinstance(repl, LuaTable) or (callable(repl) and t is not bool)):
        type_error(3, "gsub", "string/function/table", repl)
    elif fast:
        r, cnt = prog.rx.subn(_repl_callback(src, prog, repl), src, count=min(max_s, ls + 1))
        return (r, cnt) if cnt else (src, 0)
    out: list[str] = []
    pos = 0
    last = -1
    count = 0
    # fast path: literal replacement
    lit = ops[0] if ops is not None and len(ops) == 1 and type(ops[0]) is str else None
    if ops is not None and not ops:
        lit = ""
    while count < max_s:
        m = prog.match(src, pos) if anchor else prog.search(src, pos)
        if m is None:
            break
        st, e, caps = m
        if st == e == last:
            # empty match where the previous one ended: copy one byte, go on
            if pos < ls:
                out.append(src[pos])
                pos += 1
                if anchor:
                    break
                continue
            break
        if st > pos:
            out.append(src[pos:st])
        count += 1
        if lit is not None:
            out.append(lit)
        elif ops is not None:
            for op in ops:
                if type(op) is str:
                    out.append(op)
                elif op == 0:
                    out.append(src[st:e])
                elif op > 0:
                    v = get_onecapture(op - 1, src, st, e, caps)
                    out.append(v if type(v) is str else str(v))
                else:
                    _error("invalid use of '%' in replacement string")
        else:
            if isinstance(repl, LuaTable):
                v = _index(repl, get_onecapture(0, src, st, e, caps))
            else:
                v = repl(*push_captures(src, st, e, caps, True))
                if type(v) is tuple:
                    v = v[0] if v else None
            if v is None or v is False:
                out.append(src[st:e])  # keep original text
            elif type(v) is str:
                out.append(v)
            elif type(v) is int or type(v) is float:
                out.append(fmt_number(v))
            else:
                _error("invalid replacement value (a %s)" % _typename(v))
        pos = last = e
        if anchor:
            break
    if count == 0:
        return src, 0
    out.append(src[pos:])
    return "".join(out), count


def str_dump(f: Any = NOARG, strip: Any = None, *_: Any) -> str:
    """string.dump: there is no Lua bytecode here; every function behaves as a C function
    does in Lua ("unable to dump given function")."""
    if not callable(f) or isinstance(f, LuaTable) or f is True or f is False:
        type_error(1, "dump", "function", f)
    return _error("unable to dump given function")


# --------------------------------------------------------------------------- the table
_STRING: LuaTable | None = None


def string_table() -> LuaTable:
    """The ``string`` library table (one per process): the ``__index`` of strings."""
    global _STRING
    if _STRING is None:
        t = LuaTable()
        for name, fn in (
            ("byte", str_byte),
            ("char", str_char),
            ("dump", str_dump),
            ("find", str_find),
            ("format", str_format),
            ("gmatch", str_gmatch),
            ("gsub", str_gsub),
            ("len", str_len),
            ("lower", str_lower),
            ("match", str_match),
            ("rep", str_rep),
            ("reverse", str_reverse),
            ("sub", str_sub),
            ("upper", str_upper),
            ("pack", str_pack),
            ("packsize", str_packsize),
            ("unpack", str_unpack),
        ):
            t[name] = fn
        _STRING = t
    return _STRING


def open_lib(env: LuaTable) -> LuaTable:
    """Build the ``string`` table (``luaopen_string``); strings index this same table."""
    return string_table()
