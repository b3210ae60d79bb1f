"""``require "openssl"``: nmap's OpenSSL binding (nse_openssl.cc) on hashlib, hmac and
``cryptography``.

API as documented in nmap's openssl.luadoc: digests (``md4 md5 sha1 ripemd160 digest
hmac``), symmetric ciphers (``encrypt``/``decrypt`` with nmap's defaults: no padding
unless asked, a missing IV is all zeros, the key must have the cipher's exact length
unless the cipher takes variable keys), random bytes, ``DES_string_to_key`` and the
``bignum_*`` functions over a BIGNUM userdata (a Python int inside :class:`Bignum`, with
the methods ``num_bits num_bytes tobin todec tohex is_bit_set set_bit clear_bit is_prime
is_safe_prime``).

Differences from nmap, by necessity: ``supported_ciphers``/``supported_digests`` list
what this module implements (OpenSSL's lists are longer and depend on its build); the
exact text of OpenSSL failure messages is ours.  MD4 (gone from OpenSSL 3's default
provider) is implemented here in Python (RFC 1320).
"""

from __future__ import annotations

import hashlib
import hmac as _hmac
import os
import secrets
import struct
from collections.abc import Callable
from typing import Any

from nse.lib._util import LuaTable, Userdata, check_int, check_str, lua_error
from nse.lib._util import from_bytes as _s
from nse.lib._util import to_bytes as _b
from nse.lua.errors import type_error

__all__ = [
    "bignum_num_bits", "bignum_num_bytes", "bignum_set_bit", "bignum_clear_bit",
    "bignum_is_bit_set", "bignum_is_prime", "bignum_is_safe_prime", "bignum_bin2bn",
    "bignum_dec2bn", "bignum_hex2bn", "bignum_bn2bin", "bignum_bn2dec", "bignum_bn2hex",
    "bignum_rand", "bignum_pseudo_rand", "bignum_mod_exp", "bignum_div", "bignum_add",
    "rand_bytes", "rand_pseudo_bytes", "md4", "md5", "sha1", "ripemd160", "digest", "hmac",
    "encrypt", "decrypt", "supported_ciphers", "supported_digests", "DES_string_to_key",
]  # fmt: skip


# ---------------------------------------------------------------------------- bignums
class Bignum(Userdata):
    """An OpenSSL BIGNUM: a signed arbitrary-precision integer (mutable via set_bit)."""

    _lua_typename = "BIGNUM"
    _lua_methods = (
        "num_bits", "num_bytes", "tobin", "todec", "tohex", "is_bit_set", "set_bit",
        "clear_bit", "is_prime", "is_safe_prime",
    )  # fmt: skip

    __slots__ = ("value",)

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        # tostring(bignum) is its BN_bn2hex form; __gc has nothing to free here
        return {"__tostring": lambda b=None, *_: bignum_bn2hex(b), "__gc": lambda *_: ()}

    def __init__(self, value: int) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Bignum({self.value})"

    # methods as Lua sees them (self first)
    def num_bits(self, *_: Any) -> int:
        return bignum_num_bits(self)

    def num_bytes(self, *_: Any) -> int:
        return bignum_num_bytes(self)

    def tobin(self, *_: Any) -> str:
        return bignum_bn2bin(self)

    def todec(self, *_: Any) -> str:
        return bignum_bn2dec(self)

    def tohex(self, *_: Any) -> str:
        return bignum_bn2hex(self)

    def is_bit_set(self, position: Any = None, *_: Any) -> bool:
        return bignum_is_bit_set(self, position)

    def set_bit(self, position: Any = None, *_: Any) -> tuple[()]:
        return bignum_set_bit(self, position)

    def clear_bit(self, position: Any = None, *_: Any) -> tuple[()]:
        return bignum_clear_bit(self, position)

    def is_prime(self, *_: Any) -> bool:
        return bignum_is_prime(self)

    def is_safe_prime(self, *_: Any) -> tuple[bool, bool]:
        return bignum_is_safe_prime(self)


def _bn(v: Any, n: int, fname: str) -> Bignum:
    if not isinstance(v, Bignum):
        type_error(n, fname, "BIGNUM", v)
    return v


def bignum_num_bits(bignum: Any = None, *_: Any) -> int:
    """Number of significant bits."""
    return abs(_bn(bignum, 1, "openssl.bignum_num_bits").value).bit_length()


def bignum_num_bytes(bignum: Any = None, *_: Any) -> int:
    """Number of bytes needed to hold the magnitude."""
    return (bignum_num_bits(bignum) + 7) // 8


def bignum_set_bit(bignum: Any = None, position: Any = None, *_: Any) -> tuple[()]:
    """Set bit ``position`` (in place)."""
    b = _bn(bignum, 1, "openssl.bignum_set_bit")
    p = check_int(position, 2, "openssl.bignum_set_bit")
    if p >= 0:
        mag = abs(b.value) | (1 << p)
        b.value = -mag if b.value < 0 else mag
    return ()


def bignum_clear_bit(bignum: Any = None, position: Any = None, *_: Any) -> tuple[()]:
    """Clear bit ``position`` (in place)."""
    b = _bn(bignum, 1, "openssl.bignum_clear_bit")
    p = check_int(position, 2, "openssl.bignum_clear_bit")
    if p >= 0:
        mag = abs(b.value) & ~(1 << p)
        b.value = -mag if b.value < 0 else mag
    return ()


def bignum_is_bit_set(bignum: Any = None, position: Any = None, *_: Any) -> bool:
    """Whether bit ``position`` of the magnitude is set."""
    b = _bn(bignum, 1, "openssl.bignum_is_bit_set")
    p = check_int(position, 2, "openssl.bignum_is_bit_set")
    return p >= 0 and bool((abs(b.value) >> p) & 1)


_SMALL_PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)


def _probably_prime(n: int, rounds: int = 64) -> bool:
    """Miller-Rabin with random bases (error below 2^-128 for 64 rounds)."""
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        a = secrets.randbelow(n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def bignum_is_prime(bignum: Any = None, *_: Any) -> bool:
    """Probabilistic primality (Miller-Rabin)."""
    return _probably_prime(_bn(bignum, 1, "openssl.bignum_is_prime").value)


def bignum_is_safe_prime(bignum: Any = None, *_: Any) -> tuple[bool, bool]:
    """``is_safe_prime, is_prime``: a safe prime p has (p-1)/2 prime too."""
    v = _bn(bignum, 1, "openssl.bignum_is_safe_prime").value
    prime = _probably_prime(v)
    safe = prime and v > 2 and _probably_prime((v - 1) // 2)
    return safe, prime


def bignum_bin2bn(string: Any = None, *_: Any) -> Bignum:
    """Big-endian bytes to a bignum."""
    return Bignum(int.from_bytes(_b(check_str(string, 1, "openssl.bignum_bin2bn")), "big"))


def _parse_prefix(s: str, digits: str, base: int) -> int:
    # BN_dec2bn/BN_hex2bn: optional '-', then the longest run of digits
    neg = s.startswith("-")
    body = s[1:] if neg else s
    n = 0
    while n < len(body) and body[n] in digits:
        n += 1
    if n == 0:
        return 0
    v = int(body[:n], base)
    return -v if neg else v


def bignum_dec2bn(string: Any = None, *_: Any) -> Bignum:
    """Decimal string to a bignum (parsing stops at the first non-digit)."""
    return Bignum(_parse_prefix(check_str(string, 1, "openssl.bignum_dec2bn"), "0123456789", 10))


def bignum_hex2bn(string: Any = None, *_: Any) -> Bignum:
    """Hex string to a bignum (parsing stops at the first non-hex digit)."""
    return Bignum(
        _parse_prefix(check_str(string, 1, "openssl.bignum_hex2bn"), "0123456789abcdefABCDEF", 16)
    )


def bignum_bn2bin(bignum: Any = None, *_: Any) -> str:
    """The magnitude as minimal big-endian bytes (zero is the empty string)."""
    v = abs(_bn(bignum, 1, "openssl.bignum_bn2bin").value)
    return _s(v.to_bytes((v.bit_length() + 7) // 8, "big"))


def bignum_bn2dec(bignum: Any = None, *_: Any) -> str:
    """Decimal string (``-`` for negatives)."""
    return str(_bn(bignum, 1, "openssl.bignum_bn2dec").value)


def bignum_bn2hex(bignum: Any = None, *_: Any) -> str:
    """Uppercase hex, whole bytes (BN_bn2hex: ``0x123`` is ``"0123"``, zero is ``"0"``)."""
    v = _bn(bignum, 1, "openssl.bignum_bn2hex").value
    if v == 0:
        return "0"
    mag = abs(v)
    h = mag.to_bytes((mag.bit_length() + 7) // 8, "big").hex().upper()
    return ("-" if v < 0 else "") + h


def bignum_rand(bits: Any = None, *_: Any) -> Bignum:
    """A random bignum of at most ``bits`` bits."""
    n = check_int(bits, 1, "openssl.bignum_rand")
    return Bignum(secrets.randbits(n) if n > 0 else 0)


def bignum_pseudo_rand(bits: Any = None, *_: Any) -> Bignum:
    """Alias of :func:`bignum_rand`."""
    n = check_int(bits, 1, "openssl.bignum_pseudo_rand")
    return Bignum(secrets.randbits(n) if n > 0 else 0)


def bignum_mod_exp(a: Any = None, p: Any = None, m: Any = None, *_: Any) -> Bignum:
    """``a^p mod m``."""
    av = _bn(a, 1, "openssl.bignum_mod_exp").value
    pv = _bn(p, 2, "openssl.bignum_mod_exp").value
    mv = _bn(m, 3, "openssl.bignum_mod_exp").value
    if mv == 0:
        return Bignum(0)  # BN_mod_exp fails; nmap returns the untouched zero result
    try:
        r = pow(av, pv, abs(mv))
    except ValueError:  # negative exponent without an inverse
        return Bignum(0)
    return Bignum(r % abs(mv))


def bignum_div(a: Any = None, b: Any = None, *_: Any) -> tuple[Bignum, Bignum]:
    """Quotient and remainder, truncated toward zero (BN_div)."""
    av = _bn(a, 1, "openssl.bignum_div").value
    bv = _bn(b, 2, "openssl.bignum_div").value
    if bv == 0:
        return Bignum(0), Bignum(0)  # BN_div fails; nmap returns untouched zeros
    q = abs(av) // abs(bv)
    if (av < 0) != (bv < 0):
        q = -q
    return Bignum(q), Bignum(av - q * bv)


def bignum_add(a: Any = None, b: Any = None, *_: Any) -> Bignum:
    """``a + b``."""
    return Bignum(_bn(a, 1, "openssl.bignum_add").value + _bn(b, 2, "openssl.bignum_add").value)


# ---------------------------------------------------------------------------- random
def rand_bytes(nbytes: Any = None, *_: Any) -> str:
    """``bytes`` cryptographically strong random bytes."""
    n = check_int(nbytes, 1, "openssl.rand_bytes")
    return _s(os.urandom(max(n, 0)))


def rand_pseudo_bytes(nbytes: Any = None, *_: Any) -> str:
    """``bytes`` random bytes."""
    n = check_int(nbytes, 1, "openssl.rand_pseudo_bytes")
    return _s(os.urandom(max(n, 0)))


# ---------------------------------------------------------------------------- digests
def _md4(data: bytes) -> bytes:
    """MD4 (RFC 1320)."""

    def rol(x: int, n: int) -> int:
        x &= 0xFFFFFFFF
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF

    msg = data + b"\x80" + b"\0" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off : off + 64])
        a, b, c, d = h
        for i in range(16):
            k = i
            s = (3, 7, 11, 19)[i % 4]
            a, b, c, d = d, rol(a + ((b & c) | (~b & d)) + x[k], s), b, c
        for i in range(16):
            k = (i % 4) * 4 + i // 4
            s = (3, 5, 9, 13)[i % 4]
            a, b, c, d = d, rol(a + ((b & c) | (b & d) | (c & d)) + x[k] + 0x5A827999, s), b, c
        for i in range(16):
            k = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)[i]
            s = (3, 9, 11, 15)[i % 4]
            a, b, c, d = d, rol(a + (b ^ c ^ d) + x[k] + 0x6ED9EBA1, s), b, c
        h = [(v + w) & 0xFFFFFFFF for v, w in zip(h, (a, b, c, d), strict=True)]
    return struct.pack("<4I", *h)


class _MD4:
    """hashlib-like MD4 object (enough for hmac)."""

    digest_size = 16
    block_size = 64
    name = "md4"

    def __init__(self, data: bytes = b"") -> None:
        self._buf = bytearray(data)

    def update(self, data: bytes) -> None:
        self._buf += data

    def copy(self) -> _MD4:
        return _MD4(bytes(self._buf))

    def digest(self) -> bytes:
        return _md4(bytes(self._buf))


# OpenSSL digest names (case-insensitive) -> hashlib constructor
_DIGESTS: dict[str, Callable[..., Any]] = {
    "md4": _MD4,
    "md5": hashlib.md5,
    "sha1": hashlib.sha1,
    "sha224": hashlib.sha224,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
    "sha512-224": lambda d=b"": hashlib.new("sha512_224", d),
    "sha512-256": lambda d=b"": hashlib.new("sha512_256", d),
    "sha3-224": hashlib.sha3_224,
    "sha3-256": hashlib.sha3_256,
    "sha3-384": hashlib.sha3_384,
    "sha3-512": hashlib.sha3_512,
    "blake2b512": hashlib.blake2b,
    "blake2s256": hashlib.blake2s,
    "md5-sha1": lambda d=b"": hashlib.new("md5-sha1", d),
}
_DIGEST_ALIASES = {
    "ripemd160": "ripemd160", "ripemd": "ripemd160", "rmd160": "ripemd160",
    "sha-1": "sha1", "sha-224": "sha224", "sha-256": "sha256", "sha-384": "sha384",
    "sha-512": "sha512", "sha512/224": "sha512-224", "sha512/256": "sha512-256",
    "rsa-md4": "md4", "rsa-md5": "md5", "rsa-sha1": "sha1", "rsa-sha256": "sha256",
    "rsa-ripemd160": "ripemd160", "ssl3-md5": "md5", "ssl3-sha1": "sha1",
}  # fmt: skip
try:
    hashlib.new("ripemd160")
    _DIGESTS["ripemd160"] = lambda d=b"": hashlib.new("ripemd160", d)
except ValueError:  # pragma: no cover - OpenSSL without the legacy digest
    pass


def _digest_ctor(name: Any, fname: str) -> Callable[..., Any]:
    alg = check_str(name, 1, "openssl." + fname).lower()
    alg = _DIGEST_ALIASES.get(alg, alg)
    ctor = _DIGESTS.get(alg)
    if ctor is None:
        lua_error(f"Unknown digest algorithm: {name}")
    return ctor  # type: ignore[return-value]


def md4(message: Any = None, *_: Any) -> str:
    """MD4 digest (16 raw bytes)."""
    return _s(_md4(_b(check_str(message, 1, "openssl.md4"))))


def md5(message: Any = None, *_: Any) -> str:
    """MD5 digest (16 raw bytes)."""
    return _s(hashlib.md5(_b(check_str(message, 1, "openssl.md5"))).digest())


def sha1(message: Any = None, *_: Any) -> str:
    """SHA-1 digest (20 raw bytes)."""
    return _s(hashlib.sha1(_b(check_str(message, 1, "openssl.sha1"))).digest())


def ripemd160(message: Any = None, *_: Any) -> str:
    """RIPEMD-160 digest (20 raw bytes)."""
    m = _b(check_str(message, 1, "openssl.ripemd160"))
    return _s(_digest_ctor("ripemd160", "ripemd160")(m).digest())


def digest(algorithm: Any = None, message: Any = None, *_: Any) -> str:
    """Digest of ``message`` with the named algorithm (raw bytes)."""
    ctor = _digest_ctor(algorithm, "digest")
    return _s(ctor(_b(check_str(message, 2, "openssl.digest"))).digest())


def hmac(algorithm: Any = None, key: Any = None, message: Any = None, *_: Any) -> str:
    """HMAC of ``message`` under ``key`` with the named digest (raw bytes)."""
    ctor = _digest_ctor(algorithm, "hmac")
    k = _b(check_str(key, 2, "openssl.hmac"))
    m = _b(check_str(message, 3, "openssl.hmac"))
    return _s(_hmac.new(k, m, ctor).digest())


def supported_digests(*_: Any) -> LuaTable:
    """Names accepted by :func:`digest` and :func:`hmac`."""
    names = sorted(set(_DIGESTS) | {a for a, t in _DIGEST_ALIASES.items() if t in _DIGESTS})
    return LuaTable.from_list(names)


# ---------------------------------------------------------------------------- ciphers
def _ciphers() -> dict[str, tuple[Any, str, int | None, int]]:
    """name -> (algorithm factory, mode, fixed key length or None, block size)."""
    from cryptography.hazmat.decrepit.ciphers import algorithms as dalg
    from cryptography.hazmat.primitives.ciphers import algorithms as alg

    table: dict[str, tuple[Any, str, int | None, int]] = {}
    for bits in (128, 192, 256):
        for mode in ("cbc", "ecb", "cfb", "cfb8", "ofb", "ctr"):
            table[f"aes-{bits}-{mode}"] = (alg.AES, mode, bits // 8, 16)
            table[f"camellia-{bits}-{mode}"] = (dalg.Camellia, mode, bits // 8, 16)
    for mode in ("cbc", "ecb", "cfb", "cfb8", "ofb"):
        table[f"des-{mode}"] = (dalg.TripleDES, mode, 8, 8)
        table[f"des-ede3-{mode}"] = (dalg.TripleDES, mode, 24, 8)
        table[f"des-ede-{mode}"] = (dalg.TripleDES, mode, 16, 8)
        table[f"bf-{mode}"] = (dalg.Blowfish, mode, None, 8)
        table[f"cast5-{mode}"] = (dalg.CAST5, mode, None, 8)
        table[f"seed-{mode}"] = (dalg.SEED, mode, 16, 16)
        table[f"idea-{mode}"] = (dalg.IDEA, mode, 16, 8)
    table["des-ede3"] = (dalg.TripleDES, "ecb", 24, 8)
    table["des-ede"] = (dalg.TripleDES, "ecb", 16, 8)
    table["rc4"] = (dalg.ARC4, "stream", None, 1)
    table["rc4-40"] = (dalg.ARC4, "stream", 5, 1)
    table["chacha20"] = (alg.ChaCha20, "chacha", 32, 1)
    return table


_CIPHER_ALIASES = {
    "aes128": "aes-128-cbc", "aes192": "aes-192-cbc", "aes256": "aes-256-cbc",
    "aes-128-cfb128": "aes-128-cfb", "aes-192-cfb128": "aes-192-cfb",
    "aes-256-cfb128": "aes-256-cfb", "des": "des-cbc", "des3": "des-ede3-cbc",
    "bf": "bf-cbc", "blowfish": "bf-cbc", "cast": "cast5-cbc", "cast-cbc": "cast5-cbc",
    "camellia128": "camellia-128-cbc", "camellia192": "camellia-192-cbc",
    "camellia256": "camellia-256-cbc", "seed": "seed-cbc", "idea": "idea-cbc",
}  # fmt: skip
_cipher_table: dict[str, tuple[Any, str, int | None, int]] | None = None


def _cipher(name: Any, fname: str) -> tuple[Any, str, int | None, int]:
    global _cipher_table
    if _cipher_table is None:
        _cipher_table = _ciphers()
    alg = check_str(name, 1, "openssl." + fname).lower()
    alg = _CIPHER_ALIASES.get(alg, alg)
    spec = _cipher_table.get(alg)
    if spec is None:
        lua_error(f"Unknown cipher algorithm: {name}")
    return spec  # type: ignore[return-value]


def _rc4(key: bytes, data: bytes) -> bytes:
    """RC4 (OpenSSL accepts any key length; cryptography wants 40 bits or more)."""
    if not key:
        lua_error(_E_KEYLEN)
    S = list(range(256))
    j = 0
    for i in range(256):
        j = (j + S[i] + key[i % len(key)]) & 0xFF
        S[i], S[j] = S[j], S[i]
    out = bytearray(len(data))
    i = j = 0
    for n, byte in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + S[i]) & 0xFF
        S[i], S[j] = S[j], S[i]
        out[n] = byte ^ S[(S[i] + S[j]) & 0xFF]
    return bytes(out)


# OpenSSL 3.0's error strings, as nmap passes them on ("OpenSSL error: " + ERR string)
_E_KEYLEN = "OpenSSL error: error:03000082:digital envelope routines::invalid key length"
_E_FINAL = "OpenSSL error: error:1C80006B:Provider routines::wrong final block length"
_E_BADDECRYPT = "OpenSSL error: error:1C800064:Provider routines::bad decrypt"


def _crypt(enc: bool, algorithm: Any, key: Any, iv: Any, data: Any, padding: Any) -> str:
    import warnings

    from cryptography.hazmat.primitives import padding as padmod
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

    fname = "encrypt" if enc else "decrypt"
    factory, mode, keylen, block = _cipher(algorithm, fname)
    k = _b(check_str(key, 2, "openssl." + fname))
    ivb = _b(check_str(iv, 3, "openssl." + fname)) if iv is not None else b""
    d = _b(check_str(data, 4, "openssl." + fname))
    pad = padding is not None and padding is not False
    if keylen is not None and len(k) != keylen:
        lua_error(_E_KEYLEN)
    if factory.__name__ == "TripleDES" and keylen == 16:
        k = k + k[:8]  # two-key triple DES: K3 = K1
    ivlen = 16 if mode == "chacha" else (0 if mode in ("ecb", "stream") else block)
    if iv is not None and len(ivb) != ivlen:
        lua_error(f"Length of iv is {len(ivb)}; should be {ivlen}")
    ivb = (ivb + b"\0" * ivlen)[:ivlen]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # decrepit-algorithm warnings
        if mode == "stream":
            return _s(_rc4(k, d))
        if mode == "chacha":
            cipher = Cipher(factory(k, ivb), None)
        elif mode == "stream":
            cipher = Cipher(factory(k), None)
        else:
            m: dict[str, Any] = {
                "cbc": modes.CBC, "cfb": modes.CFB, "cfb8": modes.CFB8, "ofb": modes.OFB,
                "ctr": modes.CTR,
            }  # fmt: skip
            if factory.__name__ == "Blowfish" and 0 < len(k) < 4:
                # Blowfish uses the key cyclically, so repeating it is the same key;
                # cryptography refuses keys under 32 bits, OpenSSL does not
                k = k * (4 // len(k) + 1)
            try:
                algo = factory(k)
            except ValueError:  # key sizes OpenSSL takes but cryptography refuses
                lua_error(_E_KEYLEN)
            mode_obj: Any = modes.ECB() if mode == "ecb" else m[mode](ivb)  # type: ignore[abstract]
            cipher = Cipher(algo, mode_obj)
    is_block = mode in ("cbc", "ecb")
    if enc:
        if is_block and pad:
            p = padmod.PKCS7(block * 8).padder()
            d = p.update(d) + p.finalize()
        elif is_block and len(d) % block:
            lua_error(_E_FINAL)
        ctx = cipher.encryptor()
        return _s(ctx.update(d) + ctx.finalize())
    if is_block and len(d) % block:
        lua_error(_E_FINAL)
    ctx = cipher.decryptor()
    out = ctx.update(d) + ctx.finalize()
    if is_block and pad:
        try:
            u = padmod.PKCS7(block * 8).unpadder()
            out = u.update(out) + u.finalize()
        except ValueError:
            lua_error(_E_BADDECRYPT)
    return _s(out)


def encrypt(
    algorithm: Any = None,
    key: Any = None,
    iv: Any = None,
    data: Any = None,
    padding: Any = None,
    *_: Any,
) -> str:
    """Encrypt ``data`` (no padding unless ``padding`` is true)."""
    return _crypt(True, algorithm, key, iv, data, padding)


def decrypt(
    algorithm: Any = None,
    key: Any = None,
    iv: Any = None,
    data: Any = None,
    padding: Any = None,
    *_: Any,
) -> str:
    """Decrypt ``data`` (padding checked and removed only if ``padding`` is true)."""
    return _crypt(False, algorithm, key, iv, data, padding)


def supported_ciphers(*_: Any) -> LuaTable:
    """Names accepted by :func:`encrypt`/:func:`decrypt`."""
    global _cipher_table
    if _cipher_table is None:
        _cipher_table = _ciphers()
    return LuaTable.from_list(sorted(set(_cipher_table) | set(_CIPHER_ALIASES)))


def DES_string_to_key(data: Any = None, *_: Any) -> str:
    """Spread 7 bytes (56 bits) over 8 DES key bytes (7 bits each, high bits first)."""
    s = _b(check_str(data, 1, "openssl.DES_string_to_key"))
    if len(s) != 7:
        lua_error("String must have length of 7 bytes.")
    src = s + b"\0"  # nmap reads the terminating NUL as data[7]
    key = [src[0]] + [((src[i - 1] << (8 - i)) | (src[i] >> i)) & 0xFF for i in range(1, 8)]
    # the parity bit (bit 0) is left clear, as nmap 7.93 outputs it (DES ignores it)
    return _s(bytes(k & 0xFE for k in key))
