"""nselib ``ssh1``: the SSH-1 host key and key fingerprint formats (nmap 7.93's API,
our code).

``fetch_host_key(host, port)`` reads an SSH-1 server's SMSG_PUBLIC_KEY (the SSH 1.5
protocol draft, section "Initial exchange") and returns ``{exp, mod (bignums), bits,
key_type = "rsa1", fp_input, full_key, key, algorithm = "RSA1", fingerprint (MD5),
fp_sha256}`` or nothing.  The fingerprint formats are those of OpenSSH's ssh-keygen:
``fingerprint_hex`` (``2048 aa:bb:... (RSA)``), ``fingerprint_base64`` (``2048
SHA256:... (RSA)``), ``fingerprint_bubblebabble`` (Antti Huima's Bubble Babble
encoding), ``fingerprint_visual`` (the "drunken bishop" random art).
``parse_known_hosts_file(path)`` reads a known_hosts file: ``{{entry = words,
linenumber = n}, ...}``.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import os
import re
import struct
from typing import Any

from nse.lib import nmap, openssl, stdnse
from nse.lua.luatable import LuaTable

__all__ = ["check_packet_length", "receive_ssh_packet", "fetch_host_key", "fingerprint_hex",
           "fingerprint_base64", "fingerprint_bubblebabble", "fingerprint_visual",
           "parse_known_hosts_file"]

#: SSH-1 packets are at most 256 kB (the draft's limit)
_MAX_PACKET = 262144


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def check_packet_length(buffer: Any = None, *_: Any) -> Any:
    """receive_buf delimiter: one SSH-1 packet (length, 1-8 bytes padding, data)."""
    if len(buffer) < 4:
        return None
    n = struct.unpack(">I", buffer[:4].encode("latin-1"))[0]
    if n > _MAX_PACKET:
        return len(buffer) + 1, len(buffer)
    total = 4 + n + 8 - n % 8
    if total > len(buffer):
        return None
    return total, total


def receive_ssh_packet(socket: Any = None, *_: Any) -> Any:
    """``status, packet``."""
    return socket.receive_buf(check_packet_length, True)


def _mp(b: bytes, pos: int) -> tuple[bytes, int]:
    """An SSH-1 multiple-precision integer: bit count (2 bytes), then the bytes."""
    (bits,) = struct.unpack_from(">H", b, pos)
    n = (bits + 7) // 8
    return b[pos + 2:pos + 2 + n], pos + 2 + n


def fetch_host_key(host: Any = None, port: Any = None, *_: Any) -> Any:
    """The server's SSH-1 host key (see the module doc), or nothing."""
    sock = nmap.new_socket()
    if not _mv(sock.connect(host, port))[0]:
        return ()
    try:
        if not _mv(sock.receive_lines(1))[0]:
            return ()
        if not _mv(sock.send("SSH-1.5-Nmap-SSH1-Hostkey\r\n"))[0]:
            return ()
        r = _mv(receive_ssh_packet(sock))
    finally:
        sock.close()
    if not r[0]:
        return ()
    b = r[1].encode("latin-1")
    try:
        (n,) = struct.unpack_from(">I", b, 0)
        pos = 4 + 8 - n % 8
        if 4 + n + 8 - n % 8 != len(b) or b[pos] != 2:  # 2: SSH_SMSG_PUBLIC_KEY
            return ()
        pos += 1 + 8 + 4  # anti-spoofing cookie, server key bits
        _e, pos = _mp(b, pos)  # server key exponent and modulus
        _m, pos = _mp(b, pos)
        (host_bits,) = struct.unpack_from(">I", b, pos)
        exp, pos = _mp(b, pos + 4)
        mod, pos = _mp(b, pos)
    except (IndexError, struct.error):
        return ()
    e_int, m_int = int.from_bytes(exp, "big"), int.from_bytes(mod, "big")
    fp_input = mod.lstrip(b"\0") + exp.lstrip(b"\0")
    fp = fp_input.decode("latin-1")
    return LuaTable.from_dict({
        "exp": openssl.bignum_bin2bn(exp.decode("latin-1")),
        "mod": openssl.bignum_bin2bn(mod.decode("latin-1")),
        "bits": host_bits, "key_type": "rsa1", "fp_input": fp,
        "full_key": f"{host_bits} {e_int} {m_int}", "key": f"{e_int} {m_int}",
        "algorithm": "RSA1", "fingerprint": hashlib.md5(fp_input).digest().decode("latin-1"),
        "fp_sha256": hashlib.sha256(fp_input).digest().decode("latin-1"),
    })


def _bits(bits: Any) -> int:
    return int(float(bits)) if bits is not None else 0


def fingerprint_hex(fingerprint: Any = None, algorithm: Any = None, bits: Any = None,
                    *_: Any) -> str:
    """``BITS aa:bb:cc... (ALGORITHM)``."""
    # stdnse.tohex with nselib's options: nmap 7.93 prints what that gives (no colons)
    hexs = stdnse.tohex(str(fingerprint), LuaTable.from_dict({"separator": ":", "group": 2}))
    return f"{_bits(bits)} {hexs} ({algorithm})"


def fingerprint_base64(fingerprint: Any = None, hash_: Any = None, algorithm: Any = None,
                       bits: Any = None, *_: Any) -> str:
    """``BITS HASH:base64-without-padding (ALGORITHM)``."""
    enc = _b64.b64encode(str(fingerprint).encode("latin-1")).decode("ascii").rstrip("=")
    return f"{_bits(bits)} {hash_}:{enc} ({algorithm})"


_VOWELS = "aeiouy"
_CONSONANTS = "bcdfghklmnprstvzx"


def fingerprint_bubblebabble(fingerprint: Any = None, algorithm: Any = None,
                             bits: Any = None, *_: Any) -> str:
    """Bubble Babble of the digest, as ``ssh-keygen -B`` prints it."""
    d = str(fingerprint).encode("latin-1")
    out = "x"
    seed = 1
    rounds = len(d) // 2 + 1
    for i in range(rounds):
        if i + 1 < rounds or len(d) % 2:
            b1 = d[2 * i]
            out += (_VOWELS[((b1 >> 6 & 3) + seed) % 6] + _CONSONANTS[b1 >> 2 & 15]
                    + _VOWELS[((b1 & 3) + seed // 6) % 6])
            if i + 1 < rounds:
                b2 = d[2 * i + 1]
                out += _CONSONANTS[b2 >> 4 & 15] + "-" + _CONSONANTS[b2 & 15]
                seed = (seed * 5 + b1 * 7 + b2) % 36
        else:
            out += _VOWELS[seed % 6] + _CONSONANTS[16] + _VOWELS[seed // 6]
    return f"{_bits(bits)} {out}x ({algorithm})"


_ART = " .o+=*BOX@%&#/^SE"


def fingerprint_visual(fingerprint: Any = None, algorithm: Any = None, bits: Any = None,
                       *_: Any) -> str:
    """The random-art picture of the digest (OpenSSH's key_fingerprint_randomart)."""
    w, h = 17, 9
    field = [[0] * h for _ in range(w)]
    x, y = w // 2, h // 2
    start = (x, y)
    for c in str(fingerprint).encode("latin-1"):
        for _step in range(4):
            x = min(max(x + (1 if c & 1 else -1), 0), w - 1)
            y = min(max(y + (1 if c & 2 else -1), 0), h - 1)
            if field[x][y] < len(_ART) - 3:
                field[x][y] += 1
            c >>= 2
    field[start[0]][start[1]] = len(_ART) - 2
    field[x][y] = len(_ART) - 1
    s = f"\n+--[{str(algorithm):>4} {_bits(bits):4d}]----+\n"
    for j in range(h):
        s += "|" + "".join(_ART[field[i][j]] for i in range(w)) + "|\n"
    return s + "+-----------------+\n"


def parse_known_hosts_file(path: Any = None, *_: Any) -> Any:
    """The lines of a known_hosts file (default: ~/.ssh/known_hosts) split at spaces."""
    home = os.environ.get("HOME", "")
    p = path if isinstance(path, str) and os.path.isfile(path) else None
    if p is None:
        try:
            with open(os.path.join(home, ".ssh", "config"), encoding="latin-1") as f:
                for line in f:
                    m = re.search(r"UserKnownHostsFile\s(.*)", line)
                    if m:
                        p = m.group(1).strip()
                        if p.startswith("~"):
                            p = home + p[1:]
        except OSError:
            pass
    p = p or os.path.join(home, ".ssh", "known_hosts")
    entries = []
    try:
        with open(p, encoding="latin-1") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.startswith("#"):
                    entries.append(LuaTable.from_dict(
                        {"entry": LuaTable.from_list(line.split(" ")), "linenumber": n}))
    except OSError:
        return None
    return LuaTable.from_list(entries)
