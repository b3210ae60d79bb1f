"""The nmap-service-probes file format: parser, probes, match lines and templates.

Format (nmap's man page, "Service and Version Detection", and the file's own header):
``Exclude <ports>`` (once, before the probes), then ``Probe TCP|UDP <name> q|<payload>|``
followed by ``ports``, ``sslports``, ``rarity``, ``fallback``, ``totalwaitms``,
``tcpwrappedms``, ``match`` and ``softmatch`` lines.  A match line is
``match <service> m<d><regex><d>[flags] [p/..] [v/..] [i/..] [h/..] [o/..] [d/..] [cpe:/..]``
where every template may use another delimiter and may be followed by flag letters.

Everything here is pure (no sockets): :func:`parse_probe_text` takes text and returns a
:class:`ProbeDB`; :meth:`Match.test` takes response bytes and returns a :class:`MatchResult`.
Regexes are compiled once, lazily on first use (a scan touches a fraction of the 12k lines
in nmap's file), and most are never compiled at all: a pattern anchored with a literal
prefix (``^SSH-``) is first checked with ``bytes.startswith``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from nse.scan.vscan.pcre import PcreError, compile_pcre

__all__ = ["ProbeFileError", "Probe", "Match", "MatchResult", "ProbeDB",
           "parse_probe_text", "load_probe_file", "unescape_probe_string"]

#: nmap's defaults when a probe has no totalwaitms / tcpwrappedms / rarity line.
DEFAULT_WAIT_MS = 5000
DEFAULT_TCPWRAPPED_MS = 2000
DEFAULT_RARITY = 5
#: nmap's field sizes (service_scan.cc testMatch buffers): a longer result fails.
_FIELD_LIMITS = {"p": 80, "v": 80, "i": 256, "h": 80, "o": 32, "d": 32, "cpe": 80}


class ProbeFileError(ValueError):
    """A malformed probe file; ``str()`` is one line, ``file:line: message``."""

    def __init__(self, path: str, line: int, msg: str) -> None:
        super().__init__(f"{path}:{line}: {msg}")
        self.path = path
        self.line = line


_ESC = {"\\": 0x5C, "0": 0, "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


def unescape_probe_string(s: str) -> bytes:
    """Decode a ``q|...|`` payload or ``$SUBST`` argument: C escapes (``\\0 \\a \\b \\f
    \\n \\r \\t \\v \\\\ \\xHH``); any other escaped character stands for itself."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\" or i + 1 >= len(s):
            out.append(ord(c) & 0xFF)
            i += 1
            continue
        e = s[i + 1]
        if e == "x":
            h = s[i + 2:i + 4]
            if len(h) != 2 or any(ch not in "0123456789abcdefABCDEF" for ch in h):
                raise ValueError(f"bad \\x escape {s[i:i + 4]!r}")
            out.append(int(h, 16))
            i += 4
            continue
        out.append(_ESC.get(e, ord(e) & 0xFF))
        i += 2
    return bytes(out)


def _parse_ports(text: str) -> set[int]:
    ports: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise ValueError("empty item in port list")
        lo, dash, hi = part.partition("-")
        if not lo.strip().isdigit() or (dash and not hi.strip().isdigit()):
            raise ValueError(f"bad port list item {part!r} (form: 21-25,53,80)")
        a = int(lo)
        b = int(hi) if hi else a
        if not 0 <= a <= b <= 65535:
            raise ValueError(f"bad port range {part!r}")
        ports.update(range(a, b + 1))
    return ports


@dataclass
class MatchResult:
    """What one match line yielded for one response."""

    service: str
    soft: bool
    line: int
    fields: dict[str, str] = field(default_factory=dict)  # product, version, extrainfo, ...
    cpe: list[str] = field(default_factory=list)


_TEMPLATE_KEYS = {"p": "product", "v": "version", "i": "extrainfo", "h": "hostname",
                  "o": "ostype", "d": "devicetype"}
_VAR = re.compile(r"\$(\d)|\$(P|SUBST|I)\(")


def _cpe_escape(s: str) -> str:
    # CPE 2.2 section 5.4: these characters are percent-escaped; spaces become '_'.
    out = []
    for ch in s:
        if ch in ":/?#[]@!$&'()*+,;=%<>\"":
            out.append(f"%{ord(ch):02X}")
        elif ch == " ":
            out.append("_")
        else:
            out.append(ch.lower() if ch.isascii() else ch)
    return "".join(out)


def _args(text: str, i: int) -> tuple[list[object], int]:
    """Parse ``1,"a","b")`` from text[i:]; returns (args, index after ')')."""
    args: list[object] = []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            raise ValueError("unterminated template function")
        if text[i] == ")":
            return args, i + 1
        if text[i] == '"':
            j = i + 1
            while j < len(text) and (text[j] != '"' or text[j - 1] == "\\" and text[j - 2] != "\\"):
                j += 1
            if j >= len(text):
                raise ValueError("unterminated string argument")
            args.append(unescape_probe_string(text[i + 1:j]))
            i = j + 1
        else:
            m = re.compile(r"-?(0x[0-9a-fA-F]+|\d+)").match(text, i)
            if m is None:
                raise ValueError("bad template function argument")
            args.append(int(m.group(0), 0))
            i = m.end()
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and text[i] == ",":
            i += 1


def _printable(b: bytes) -> bytes:
    return bytes(c for c in b if 32 <= c < 127)


class _TemplateFail(Exception):
    pass


def _fill(template: str, m: re.Match[bytes], cpe: bool) -> str:
    """Substitute ``$1``, ``$P(n)``, ``$SUBST(n,"a","b")``, ``$I(n,">")`` in a template;
    trailing spaces and commas are dropped (as nmap does)."""
    out: list[str] = []
    i = 0
    ngroups = m.re.groups
    while True:
        j = template.find("$", i)
        if j < 0:
            out.append(template[i:])
            break
        out.append(template[i:j])
        v = _VAR.match(template, j)
        if v is None:
            raise _TemplateFail("bad $ in template")
        if v.group(1):
            n = int(v.group(1))
            args: list[object] = [n]
            i = v.end()
            func = ""
        else:
            func = v.group(2)
            args, i = _args(template, v.end())
            if not args or not isinstance(args[0], int):
                raise _TemplateFail("template function needs a group number")
            n = args[0]
        if not 1 <= n <= 9 or n > ngroups:
            raise _TemplateFail(f"no group ${n}")
        sub = m.group(n) or b""
        if func == "P":
            sub = _printable(sub)
        elif func == "SUBST":
            if len(args) != 3 or not isinstance(args[1], bytes) or not isinstance(args[2], bytes):
                raise _TemplateFail("$SUBST needs (n, \"find\", \"replace\")")
            if args[1]:
                sub = sub.replace(args[1], args[2])
        elif func == "I":
            if len(args) != 2 or args[1] not in (b">", b"<") or len(sub) > 8:
                raise _TemplateFail("$I needs (n, \">\" or \"<\") and at most 8 bytes")
            sub = str(int.from_bytes(sub, "big" if args[1] == b">" else "little")).encode()
        text = sub.decode("latin-1")
        out.append(_cpe_escape(text) if cpe else text)
    return "".join(out).rstrip(" \t\r\n\x0b\x0c,")


def _literal_prefix(pattern: str) -> bytes | None:
    """The literal bytes every match must start with, for a pattern anchored with ``^``
    and no top-level alternation; None when there is no such prefix."""
    if not pattern.startswith("^"):
        return None
    depth = 0
    in_class = False
    i = 0
    while i < len(pattern):  # any top-level '|' makes a prefix unsafe
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":
                i += 2
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return None
        i += 1
    out = bytearray()
    i = 1
    while i < len(pattern):
        c = pattern[i]
        start = i
        if c == "\\":
            e = pattern[i + 1:i + 2]
            if e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", pattern[i + 2:i + 4]):
                b, i = int(pattern[i + 2:i + 4], 16), i + 4
            elif e == "0" and not pattern[i + 2:i + 3].isdigit():
                b, i = 0, i + 2
            elif e in ("r", "n", "t"):
                b, i = {"r": 13, "n": 10, "t": 9}[e], i + 2
            elif e and not e.isalnum():
                b, i = ord(e), i + 2
            else:
                break
        elif c in "[](){}.*+?^$|":
            break
        else:
            b, i = ord(c) & 0xFF, i + 1
        if i < len(pattern) and pattern[i] in "*?{+":
            i = start
            break
        out.append(b)
    return bytes(out) if out else None


@dataclass
class Match:
    """One ``match``/``softmatch`` line."""

    service: str
    pattern: str
    flags: str
    soft: bool
    line: int
    templates: dict[str, str] = field(default_factory=dict)
    cpes: list[str] = field(default_factory=list)
    prefix: bytes | None = None
    _regex: re.Pattern[bytes] | None = None
    _bad: str | None = None

    def compile(self) -> re.Pattern[bytes] | None:
        """The compiled regex (cached); None when the pattern cannot be mapped."""
        if self._regex is None and self._bad is None:
            try:
                self._regex = compile_pcre(self.pattern, self.flags)
            except PcreError as e:
                self._bad = str(e)
        return self._regex

    def test(self, data: bytes) -> MatchResult | None:
        """Match ``data`` (unanchored search, as pcre_exec) and fill the templates."""
        if self.prefix is not None:
            if "i" in self.flags:
                if data[:len(self.prefix)].lower() != self.prefix.lower():
                    return None
            elif not data.startswith(self.prefix):
                return None
        rx = self.compile()
        if rx is None:
            return None
        m = rx.search(data)
        if m is None:
            return None
        res = MatchResult(self.service, self.soft, self.line)
        for key, tmpl in self.templates.items():
            try:
                val = _fill(tmpl, m, False)
            except (_TemplateFail, ValueError):
                continue
            if val and len(val) < _FIELD_LIMITS[key] - 1:
                res.fields[_TEMPLATE_KEYS[key]] = val
        by_part: dict[str, str] = {}
        for tmpl in self.cpes:
            try:
                val = _fill(tmpl, m, True)
            except (_TemplateFail, ValueError):
                continue
            part = val[5:6]
            if part in ("a", "h", "o") and len(val) < _FIELD_LIMITS["cpe"] - 1:
                by_part[part] = val
        res.cpe = [by_part[p] for p in ("a", "h", "o") if p in by_part]
        return res


@dataclass
class Probe:
    """One ``Probe`` section."""

    protocol: str  # "tcp" / "udp"
    name: str
    payload: bytes
    line: int
    rarity: int = DEFAULT_RARITY
    ports: set[int] = field(default_factory=set)
    sslports: set[int] = field(default_factory=set)
    totalwaitms: int = DEFAULT_WAIT_MS
    tcpwrappedms: int = DEFAULT_TCPWRAPPED_MS
    fallback_names: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    services: set[str] = field(default_factory=set)
    #: Itself, its fallbacks, then the NULL probe for TCP (filled by ProbeDB).
    fallbacks: list[Probe] = field(default_factory=list, repr=False)

    @property
    def is_null(self) -> bool:
        """The NULL probe sends nothing and waits for a banner."""
        return self.protocol == "tcp" and not self.payload

    def port_is_probable(self, port: int, ssl: bool) -> bool:
        """Whether the probe lists ``port`` (in ``sslports`` inside an SSL tunnel)."""
        return port in (self.sslports if ssl else self.ports)

    def test(self, data: bytes) -> MatchResult | None:
        """The first match line of this probe that matches ``data``."""
        for m in self.matches:
            r = m.test(data)
            if r is not None:
                return r
        return None

    def test_with_fallbacks(self, data: bytes) -> tuple[MatchResult | None, Probe]:
        """Try this probe's lines, then each fallback's (nmap's order)."""
        for p in self.fallbacks or [self]:
            r = p.test(data)
            if r is not None:
                return r, p
        return None, self


@dataclass
class ProbeDB:
    """A parsed probe file."""

    path: str
    probes: list[Probe]
    null_probe: Probe | None
    exclude_tcp: set[int] = field(default_factory=set)
    exclude_udp: set[int] = field(default_factory=set)

    def all_matches(self) -> list[Match]:
        """Every match line of every probe, NULL probe included."""
        ps = ([self.null_probe] if self.null_probe else []) + self.probes
        return [m for p in ps for m in p.matches]

    def is_excluded(self, protocol: str, port: int) -> bool:
        """The ``Exclude`` directive."""
        return port in (self.exclude_tcp if protocol == "tcp" else self.exclude_udp)

    def probe(self, name: str, protocol: str) -> Probe | None:
        """A probe by name and protocol (the NULL probe too)."""
        if protocol == "tcp" and self.null_probe and self.null_probe.name == name:
            return self.null_probe
        for p in self.probes:
            if p.name == name and p.protocol == protocol:
                return p
        return None


def _split_template(text: str, i: int) -> tuple[str, str, str, int] | None:
    """Read ``key<d>value<d>flags`` at text[i:]; returns (key, value, flags, end)."""
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        return None
    j = i
    while j < len(text) and (text[j].isalpha() or text[j] == ":"):
        j += 1
    if j >= len(text) or text[j].isspace() or j == i:
        raise ValueError(f"bad template near {text[i:i + 20]!r}")
    key = text[i:j]
    d = text[j]
    k = text.find(d, j + 1)
    if k < 0:
        raise ValueError(f"no closing {d!r} for {key}{d}...")
    value = text[j + 1:k]
    e = k + 1
    while e < len(text) and text[e].isalpha():
        e += 1
    return key, value, text[k + 1:e], e


def _parse_match(line: str, lineno: int, soft: bool) -> Match:
    rest = line[len("softmatch "):] if soft else line[len("match "):]
    sp = rest.find(" ")
    if sp <= 0:
        raise ValueError("no service name")
    service = rest[:sp]
    t = _split_template(rest, sp)
    if t is None or t[0] != "m":
        raise ValueError("the pattern must start with m (m/regex/flags)")
    _, pattern, flags, end = t
    if set(flags) - {"i", "s"}:
        raise ValueError(f"illegal regex option {flags!r} (only i and s)")
    m = Match(service, pattern, flags, soft, lineno)
    while True:
        t = _split_template(rest, end)
        if t is None:
            break
        key, value, _flags, end = t
        if key == "cpe:":
            m.cpes.append("cpe:/" + value)
        elif key in _TEMPLATE_KEYS:
            m.templates[key] = value
        else:
            raise ValueError(f"unknown template specifier {key!r}")
    m.prefix = _literal_prefix(pattern)
    return m


#: Files with at most this many match lines have every regex compiled at load, so that a
#: bad pattern is reported with its file:line.  nmap's own file (12k lines, 2.5 s to
#: compile in full) is compiled lazily; a test checks that all of it compiles.
EAGER_COMPILE_LIMIT = 2000


def parse_probe_text(text: str, path: str = "<probes>", eager: bool | None = None) -> ProbeDB:
    """Parse probe-file text (read as latin-1).  Raises :class:`ProbeFileError`.
    ``eager`` compiles every regex now (default: for files of at most
    :data:`EAGER_COMPILE_LIMIT` match lines)."""
    probes: list[Probe] = []
    null: Probe | None = None
    cur: Probe | None = None
    db = ProbeDB(path, probes, None)
    excluded = False
    lineno = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        try:
            if line.startswith("Exclude "):
                if excluded:
                    raise ValueError("only one Exclude directive is allowed")
                if cur is not None:
                    raise ValueError("the Exclude directive must precede all Probes")
                excluded = True
                for item in line[8:].split(","):
                    item = item.strip()
                    proto = "both"
                    if item[:2] in ("T:", "U:"):
                        proto, item = item[0], item[2:]
                    ports = _parse_ports(item)
                    if proto in ("both", "T"):
                        db.exclude_tcp |= ports
                    if proto in ("both", "U"):
                        db.exclude_udp |= ports
                continue
            if line.startswith("Probe "):
                mm = re.compile(r"Probe (TCP|UDP) (\S+) q(.)(.*)\3\s*(no-payload)?\s*$").match(line)
                if mm is None:
                    raise ValueError("bad Probe line (form: Probe TCP|UDP <name> q|payload|)")
                if not mm.group(2)[0].isalnum():
                    raise ValueError("bad probe name")
                cur = Probe(mm.group(1).lower(), mm.group(2),
                            unescape_probe_string(mm.group(4)), lineno)
                if cur.is_null:
                    if null is not None:
                        raise ValueError("a second NULL probe")
                    null = cur
                else:
                    if cur.protocol == "udp" and not cur.payload:
                        raise ValueError("a UDP probe needs a payload")
                    probes.append(cur)
                continue
            if cur is None:
                raise ValueError('line was expected to begin with "Probe " or "Exclude "')
            word, _, arg = line.partition(" ")
            if word == "ports":
                cur.ports |= _parse_ports(arg)
            elif word == "sslports":
                cur.sslports |= _parse_ports(arg)
            elif word == "rarity":
                if not arg.strip().isdigit() or not 1 <= int(arg) <= 9:
                    raise ValueError("rarity must be between 1 and 9")
                cur.rarity = int(arg)
            elif word in ("totalwaitms", "tcpwrappedms"):
                if not arg.strip().isdigit() or not 100 <= int(arg) <= 300000:
                    raise ValueError(f"bad {word} value (100 to 300000 ms)")
                setattr(cur, word, int(arg))
            elif word == "fallback":
                cur.fallback_names += [n for n in re.split(r"[,\s]+", arg) if n]
            elif word in ("match", "softmatch"):
                m = _parse_match(line, lineno, word == "softmatch")
                cur.matches.append(m)
                cur.services.add(m.service)
            else:
                raise ValueError(f"unknown directive {word!r}")
        except ValueError as e:
            raise ProbeFileError(path, lineno, str(e)) from None
    db.null_probe = null
    for p in probes:
        chain = [p]
        for name in p.fallback_names:
            # nmap's own file falls back across protocols (DNSVersionBindReqTCP ->
            # DNSVersionBindReq, a UDP probe): same protocol first, then any.
            fb = db.probe(name, p.protocol) or db.probe(name, "udp" if p.protocol == "tcp"
                                                         else "tcp")
            if fb is None:
                raise ProbeFileError(path, p.line, f"unknown fallback {name!r} in probe {p.name}")
            chain.append(fb)
        if p.protocol == "tcp" and null is not None:
            chain.append(null)
        p.fallbacks = chain
    if null is not None:
        null.fallbacks = [null]
    matches = db.all_matches()
    if eager or (eager is None and len(matches) <= EAGER_COMPILE_LIMIT):
        for m in matches:
            if m.compile() is None:
                raise ProbeFileError(path, m.line, f"bad regex m|{m.pattern}|: {m._bad}")
    return db


def load_probe_file(path: str) -> ProbeDB:
    """Read and parse a probe file.  Raises :class:`ProbeFileError` (also for I/O)."""
    try:
        with open(path, encoding="latin-1", newline="") as f:
            text = f.read()
    except OSError as e:
        raise ProbeFileError(path, 0, f"cannot read: {e.strerror or e}") from None
    return parse_probe_text(text, os.fspath(path))
