"""The Lua table: one type shared by transpiled code and Python library code.

Representation
    ``_lt_arr``  a Python list holding keys ``1..len(_lt_arr)``.  It may contain ``None``
                 (holes) but never ends with ``None``; so ``len(_lt_arr)`` is always a
                 border and ``#t`` is O(1).
    ``_lt_hash`` a dict for every other key (so every string key lives here: the
                 transpiler inlines ``t._lt_hash.get("name")`` for field reads).  Invariant: an integer key ``k`` with
                 ``1 <= k <= len(_lt_arr) + 1`` is never in the hash (setting key
                 ``n + 1`` appends and then migrates ``n + 2, n + 3, ...`` from the hash).
    ``_lt_meta`` the metatable (a LuaTable) or None; Python code uses ``t.meta``.
    ``_lt_snap`` traversal snapshot for :meth:`next` (hash keys in order and their
                 positions), dropped when a new hash key is inserted.

Keys are normalised as Lua does (§3.4.3, §2.1): a float with an integral value is the
integer key (``t[2.0]`` is ``t[2]``).  Booleans are wrapped in private sentinel objects
because in Python ``True == 1`` and ``hash(True) == hash(1)``: ``t[true]`` and ``t[1]`` are
different keys in Lua.  ``nil`` and NaN cannot be keys.

Python convenience: ``t["k"]``/``t[k] = v`` are raw get/set (None deletes), ``t.name`` reads
the raw field ``"name"`` when ``name`` is not an attribute of the class, ``t.name = v`` sets
it; ``len(t)`` is the border, ``bool(t)`` is always True, iterating yields keys,
``items()``/``keys()``/``values()`` go over the raw pairs (array part first, then the hash
in insertion order).  Equality and hashing are by identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = ["LuaTable"]


class _BoolKey:
    """Stands for a boolean key inside the hash part (see module docstring)."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "true" if self.value else "false"


_TRUE_KEY = _BoolKey(True)
_FALSE_KEY = _BoolKey(False)

_SLOTS = frozenset(("_lt_arr", "_lt_hash", "_lt_meta", "_lt_snap"))
_setattr = object.__setattr__


def _raise(msg: str) -> Any:
    # Imported lazily: errors imports luatable (for typename/checkers).
    from nse.lua.errors import vm_error

    vm_error(msg)


def _normkey(k: Any) -> Any:
    """Normalise a non-int, non-str key for the hash part (slow path)."""
    tk = type(k)
    if tk is float:
        if k.is_integer() and -9.2233720368547758e18 <= k < 9.2233720368547758e18:
            return int(k)
        return k
    if tk is bool:
        return _TRUE_KEY if k else _FALSE_KEY
    return k


def _unkey(k: Any) -> Any:
    return k.value if type(k) is _BoolKey else k


class _Proto:
    # Same slot layout as LuaTable but no __setattr__ override and no __init__: making
    # one, setting its four slots and switching its class is about twice as fast as
    # a Python __init__ (or four object.__setattr__ calls) on a LuaTable.
    __slots__ = ("_lt_arr", "_lt_hash", "_lt_meta", "_lt_snap")


class LuaTable:
    """A Lua table (array part + hash part + metatable)."""

    __slots__ = ("_lt_arr", "_lt_hash", "_lt_meta", "_lt_snap")

    _lt_arr: list[Any]
    _lt_hash: dict[Any, Any]
    _lt_meta: LuaTable | None
    _lt_snap: tuple[list[Any], dict[Any, int]] | None

    def __new__(cls) -> LuaTable:
        o: Any = _Proto()
        o._lt_arr = []
        o._lt_hash = {}
        o._lt_meta = None
        o._lt_snap = None
        o.__class__ = cls
        return o  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_list(cls, seq: Iterable[Any]) -> LuaTable:
        """Table with keys 1..n from ``seq``; a None in ``seq`` leaves a hole."""
        arr = list(seq)
        while arr and arr[-1] is None:
            arr.pop()
        o: Any = _Proto()  # as in __new__
        o._lt_arr = arr
        o._lt_hash = {}
        o._lt_meta = None
        o._lt_snap = None
        o.__class__ = cls
        return o  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, mapping: Mapping[Any, Any]) -> LuaTable:
        """Table with the pairs of a Python mapping (None values are skipped)."""
        return cls.from_pairs(mapping.items())

    @classmethod
    def from_record(cls, fields: dict[str, Any]) -> LuaTable:
        """Table whose keys are the (string) keys of ``fields``; None values are skipped.

        Takes ownership of the dict (no copy): the fast constructor for ``{x = a, y = b}``.
        Every key must be a ``str``."""
        if None in fields.values():
            fields = {k: v for k, v in fields.items() if v is not None}
        o: Any = _Proto()
        o._lt_arr = []
        o._lt_hash = fields
        o._lt_meta = None
        o._lt_snap = None
        o.__class__ = cls
        return o  # type: ignore[no-any-return]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Any, Any]]) -> LuaTable:
        """Table from (key, value) pairs, assigned in order (as a constructor does)."""
        t = cls()
        h = t._lt_hash
        for k, v in pairs:
            if type(k) is str and v is not None:
                h[k] = v
            else:
                t[k] = v
        return t

    # ------------------------------------------------------------------ raw access
    def __getitem__(self, k: Any) -> Any:
        if type(k) is int:
            arr = self._lt_arr
            if 0 < k <= len(arr):
                return arr[k - 1]
            return self._lt_hash.get(k)
        if type(k) is str:
            return self._lt_hash.get(k)
        if type(k) is float:
            if k.is_integer() and -9.2233720368547758e18 <= k < 9.2233720368547758e18:
                return self[int(k)]
            return self._lt_hash.get(k)
        if type(k) is bool:
            return self._lt_hash.get(_TRUE_KEY if k else _FALSE_KEY)
        if k is None:
            return None
        return self._lt_hash.get(k)

    def __setitem__(self, k: Any, v: Any) -> None:
        if type(k) is int:
            arr = self._lt_arr
            n = len(arr)
            if 0 < k <= n:
                if v is None:
                    if k == n:
                        arr.pop()
                        while arr and arr[-1] is None:
                            arr.pop()
                    else:
                        arr[k - 1] = None
                else:
                    arr[k - 1] = v
                return
            if k == n + 1:
                if v is not None:
                    arr.append(v)
                    h = self._lt_hash
                    if h:
                        # keep the invariant: migrate n+2, n+3, ... from the hash
                        k += 1
                        while k in h:
                            arr.append(h.pop(k))
                            k += 1
                return
        elif type(k) is not str:
            if k is None:
                _raise("table index is nil")
            if type(k) is float:
                if k.is_integer() and -9.2233720368547758e18 <= k < 9.2233720368547758e18:
                    self[int(k)] = v
                    return
                if k != k:
                    _raise("table index is NaN")
            elif type(k) is bool:
                k = _TRUE_KEY if k else _FALSE_KEY
        h = self._lt_hash
        if v is None:
            h.pop(k, None)
        else:
            if self._lt_snap is not None and k not in h:
                _setattr(self, "_lt_snap", None)
            h[k] = v

    def rawget(self, k: Any) -> Any:
        """Raw get (no metamethods); None when absent."""
        return self[k]

    def rawset(self, k: Any, v: Any) -> None:
        """Raw set (no metamethods); None deletes."""
        self[k] = v

    def __contains__(self, k: Any) -> bool:
        return self[k] is not None

    def __getattr__(self, name: str) -> Any:
        # Only called when normal attribute lookup fails: a raw read of field "name".
        v = self._lt_hash.get(name)
        if v is None and name.startswith("__"):
            # absent dunder: Python protocols probe these (copy, pickle, hasattr ...)
            raise AttributeError(name)
        return v

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SLOTS or name == "meta":
            _setattr(self, name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        self[name] = None

    @property
    def meta(self) -> LuaTable | None:
        """The metatable (raw; ``__metatable`` protection is baselib's business)."""
        return self._lt_meta

    @meta.setter
    def meta(self, mt: LuaTable | None) -> None:
        _setattr(self, "_lt_meta", mt)

    # ------------------------------------------------------------------ length/next
    def length(self) -> int:
        """A border of the table (Lua's ``#`` without ``__len``)."""
        return len(self._lt_arr)

    def __len__(self) -> int:
        return len(self._lt_arr)

    def __bool__(self) -> bool:
        return True

    def next(self, k: Any = None) -> tuple[Any, Any] | None:
        """Lua's ``next`` (§6.1): the pair after key ``k`` (None starts), None at the end.

        Assigning nil to existing fields during a traversal is allowed: deleted array
        slots stay as holes, deleted hash keys stay in the traversal snapshot.
        """
        arr = self._lt_arr
        n = len(arr)
        i: int  # next array index (0-based) to look at
        if k is None:
            i = 0
        elif type(k) is int and 0 < k <= n:
            i = k
        else:
            return self._next_hash(k, n)
        while i < n:
            v = arr[i]
            if v is not None:
                return i + 1, v
            i += 1
        return self._next_hash_from(0)

    def _snapshot(self) -> tuple[list[Any], dict[Any, int]]:
        snap = self._lt_snap
        if snap is None:
            keys = list(self._lt_hash)
            snap = (keys, {key: i for i, key in enumerate(keys)})
            _setattr(self, "_lt_snap", snap)
        return snap

    def _next_hash_from(self, pos: int) -> tuple[Any, Any] | None:
        h = self._lt_hash
        if not h:
            return None
        keys = self._snapshot()[0]
        nk = len(keys)
        while pos < nk:
            key = keys[pos]
            v = h.get(key)
            if v is not None:
                return _unkey(key), v
            pos += 1
        _setattr(self, "_lt_snap", None)  # traversal finished
        return None

    def _next_hash(self, k: Any, n: int) -> tuple[Any, Any] | None:
        nk = _normkey(k)
        if type(nk) is int and 0 < nk <= n:
            return self.next(nk)
        keys, pos = self._snapshot()
        p = pos.get(nk)
        if p is None:
            if nk in self._lt_hash:
                # snapshot predates this key (inserted during traversal, undefined in Lua)
                _setattr(self, "_lt_snap", None)
                keys, pos = self._snapshot()
                p = pos[nk]
            elif type(nk) is int and nk > n:
                # an array key removed from the end during the traversal
                return self._next_hash_from(0)
            else:
                _raise("invalid key to 'next'")
                return None
        return self._next_hash_from(p + 1)

    # ------------------------------------------------------------------ iteration
    def items(self) -> Iterator[tuple[Any, Any]]:
        """Raw (key, value) pairs: array part in order, then hash in insertion order."""
        # Like a traversal with next(): fields changed or set to nil meanwhile are seen
        # with their current value (and skipped when nil).
        arr = self._lt_arr
        i = 0
        while i < len(arr):
            v = arr[i]
            i += 1
            if v is not None:
                yield i, v
        h = self._lt_hash
        if h:
            for k in list(h):
                v = h.get(k)
                if v is not None:
                    yield _unkey(k), v

    def keys(self) -> Iterator[Any]:
        """Raw keys (same order as :meth:`items`)."""
        for k, _ in self.items():
            yield k

    def values(self) -> Iterator[Any]:
        """Raw values (same order as :meth:`items`)."""
        for _, v in self.items():
            yield v

    def __iter__(self) -> Iterator[Any]:
        return self.keys()

    def to_list(self) -> list[Any]:
        """Values ``t[1] .. t[#t]`` as a Python list."""
        return list(self._lt_arr)

    def to_dict(self) -> dict[Any, Any]:
        """All raw pairs as a Python dict (booleans as True/False keys: note that a table
        holding both ``true`` and ``1`` as keys loses one of them here)."""
        return dict(self.items())

    def append(self, v: Any) -> None:
        """``t[#t + 1] = v``."""
        self[len(self._lt_arr) + 1] = v

    def insert(self, pos: int, v: Any) -> None:
        """``table.insert(t, pos, v)`` on the raw array part (1 <= pos <= #t + 1)."""
        arr = self._lt_arr
        if pos == len(arr) + 1:
            self[pos] = v
        else:
            arr.insert(pos - 1, v)
            if self._lt_hash and (len(arr) + 1) in self._lt_hash:
                self[len(arr) + 1] = self._lt_hash.pop(len(arr) + 1)

    # ------------------------------------------------------------------ call/repr
    def __call__(self, *args: Any) -> Any:
        mt = self._lt_meta
        h = mt["__call"] if mt is not None else None
        if h is None:
            from nse.lua.errors import call_error

            call_error(self)
        try:
            return h(self, *args)
        except TypeError:
            if callable(h):
                raise
            from nse.lua.errors import call_error

            call_error(h)  # __call is not a function: "attempt to call a number value"

    def __repr__(self) -> str:
        parts: list[str] = []
        for k, v in self.items():
            if len(parts) >= 20:
                parts.append("...")
                break
            vr = "{...}" if isinstance(v, LuaTable) else repr(v)
            parts.append(f"[{k!r}]={vr}")
        return f"LuaTable@{id(self):x}{{{', '.join(parts)}}}"

    # Tables compare and hash by identity (object defaults).


_set_hash = LuaTable.__dict__["_lt_hash"].__set__  # slot descriptor, bypasses __setattr__
