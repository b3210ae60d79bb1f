"""openssl: digests/HMAC against published test vectors, ciphers against the openssl
command-line tool, bignums against Python integers and OpenSSL's formatting rules."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from libref import compare, needs_nmap, nmap_calls

from nse.lib import lua_module, openssl
from nse.lib._util import LuaError
from nse.lua import ops


def h(s: str) -> str:
    return s.encode("latin-1").hex()


def test_md4_rfc1320() -> None:
    vectors = {
        "": "31d6cfe0d16ae931b73c59d7e0c089c0",
        "a": "bde52cb31de33e46245e05fbdbd6fb24",
        "abc": "a448017aaf21d8525fc10ae87aa6729d",
        "message digest": "d9130a8164549fe818874806e1c7014b",
        "abcdefghijklmnopqrstuvwxyz": "d79e1c308aa5bbcdeea8ed63df412da9",
        "1234567890" * 8: "e33b4ddc9c38f2199c3e7b164fcc0536",
    }
    for msg, want in vectors.items():
        assert h(openssl.md4(msg)) == want
        assert h(openssl.digest("MD4", msg)) == want


def test_digests() -> None:
    assert h(openssl.md5("abc")) == "900150983cd24fb0d6963f7d28e17f72"
    assert h(openssl.sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert h(openssl.ripemd160("abc")) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"
    assert h(openssl.digest("sha256", "abc")).startswith("ba7816bf8f01cfea")
    assert h(openssl.digest("SHA512", "")).startswith("cf83e1357eefb8bd")
    with pytest.raises(LuaError, match="Unknown digest"):
        openssl.digest("nope", "x")


def test_hmac_rfc2202() -> None:
    assert h(openssl.hmac("MD5", "Jefe", "what do ya want for nothing?")) == (
        "750c783e6ab0b503eaa86e310a5db738"
    )
    assert h(openssl.hmac("SHA1", "\x0b" * 20, "Hi There")) == (
        "b617318655057264e28bc0b6fb378c8ef146be00"
    )
    assert h(openssl.hmac("md4", "key", "msg")) == h(
        openssl.md4(
            "".join(chr(ord(c) ^ 0x5C) for c in "key".ljust(64, "\0"))
            + openssl.md4("".join(chr(ord(c) ^ 0x36) for c in "key".ljust(64, "\0")) + "msg")
        )
    )


def test_lm_hash_via_des_string_to_key() -> None:
    # LM hash of "PASSWORD" (as nselib's smbauth computes it)
    pw = "PASSWORD".ljust(14, "\0")
    k1 = openssl.DES_string_to_key(pw[:7])
    k2 = openssl.DES_string_to_key(pw[7:])
    lm = openssl.encrypt("DES", k1, None, "KGS!@#$%") + openssl.encrypt(
        "des-ecb", k2, None, "KGS!@#$%"
    )
    assert h(lm).upper() == "E52CAC67419A9A224A3B108F3FA6CB6D"
    with pytest.raises(LuaError, match="length of 7"):
        openssl.DES_string_to_key("short")


def test_aes_nist_and_padding() -> None:
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c").decode("latin-1")
    iv = bytes.fromhex("000102030405060708090a0b0c0d0e0f").decode("latin-1")
    pt = bytes.fromhex("6bc1bee22e409f96e93d7e117393172a").decode("latin-1")
    ct = openssl.encrypt("AES-128-CBC", key, iv, pt)
    assert h(ct) == "7649abac8119b246cee98e9b12e9197d"
    assert openssl.decrypt("aes-128-cbc", key, iv, ct) == pt
    padded = openssl.encrypt("aes-128-cbc", key, iv, "abc", True)
    assert len(padded) == 16 and openssl.decrypt("aes-128-cbc", key, iv, padded, True) == "abc"
    with pytest.raises(LuaError):
        openssl.encrypt("aes-128-cbc", key, iv, "abc")  # no padding: partial block fails
    with pytest.raises(LuaError):
        openssl.encrypt("aes-128-cbc", "short", iv, pt)
    with pytest.raises(LuaError, match="Unknown cipher"):
        openssl.encrypt("nope", key, iv, pt)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl tool")
@pytest.mark.parametrize(
    "name,key,iv",
    [
        ("des-ecb", "0123456789abcdef", None),
        ("des-cbc", "0123456789abcdef", "1122334455667788"),
        ("des-ede3-cbc", "00112233445566778899aabbccddeeff0011223344556677", "0102030405060708"),
        ("aes-192-cbc", "00" * 24, "ff" * 16),
        ("aes-256-ctr", "11" * 32, "22" * 16),
        ("aes-128-cfb", "33" * 16, "44" * 16),
        ("aes-128-ofb", "33" * 16, "44" * 16),
        ("bf-cbc", "55" * 16, "66" * 8),
        ("cast5-cbc", "77" * 16, "88" * 8),
        ("rc4", "99" * 16, None),
        ("camellia-128-cbc", "aa" * 16, "bb" * 16),
    ],
)
def test_ciphers_vs_openssl_tool(name: str, key: str, iv: str | None) -> None:
    data = bytes(range(48))
    cmd = ["openssl", "enc", "-e", f"-{name}", "-K", key, "-nopad", "-nosalt"]
    if iv:
        cmd += ["-iv", iv]
    if name in ("des-ecb", "des-cbc", "bf-cbc", "cast5-cbc", "rc4"):
        cmd += ["-provider", "legacy", "-provider", "default"]
    proc = subprocess.run(cmd, input=data, capture_output=True, timeout=30)
    if proc.returncode != 0:
        pytest.skip(f"openssl tool lacks {name}: {proc.stderr[:100]!r}")
    k = bytes.fromhex(key).decode("latin-1")
    v = bytes.fromhex(iv).decode("latin-1") if iv else None
    got = openssl.encrypt(name, k, v, data.decode("latin-1"))
    assert got.encode("latin-1") == proc.stdout
    assert openssl.decrypt(name, k, v, got) == data.decode("latin-1")


def test_bignums() -> None:
    a = openssl.bignum_dec2bn("123456789012345678901234567890")
    b = openssl.bignum_hex2bn("ff")
    assert openssl.bignum_bn2dec(openssl.bignum_add(a, b)) == "123456789012345678901234568145"
    q, r = openssl.bignum_div(a, openssl.bignum_dec2bn("1000"))
    assert (q.value, r.value) == (123456789012345678901234567, 890)
    q, r = openssl.bignum_div(openssl.bignum_dec2bn("-7"), openssl.bignum_dec2bn("2"))
    assert (q.value, r.value) == (-3, -1)  # BN_div truncates toward zero
    m = openssl.bignum_mod_exp(
        openssl.bignum_dec2bn("4"), openssl.bignum_dec2bn("13"), openssl.bignum_dec2bn("497")
    )
    assert openssl.bignum_bn2dec(m) == "445"
    assert openssl.bignum_bn2hex(openssl.bignum_hex2bn("123")) == "0123"
    assert openssl.bignum_bn2hex(openssl.bignum_bin2bn("")) == "0"
    assert openssl.bignum_bn2bin(openssl.bignum_hex2bn("0102")) == "\x01\x02"
    assert openssl.bignum_bn2dec(openssl.bignum_dec2bn("12ab")) == "12"
    assert openssl.bignum_num_bits(b) == 8 and openssl.bignum_num_bytes(b) == 1
    openssl.bignum_set_bit(b, 8)
    assert b.value == 0x1FF and openssl.bignum_is_bit_set(b, 8)
    openssl.bignum_clear_bit(b, 0)
    assert b.value == 0x1FE
    assert openssl.bignum_is_prime(openssl.bignum_dec2bn("2147483647")) is True
    assert openssl.bignum_is_prime(openssl.bignum_dec2bn("2147483649")) is False
    assert openssl.bignum_is_safe_prime(openssl.bignum_dec2bn("23")) == (True, True)
    assert openssl.bignum_is_safe_prime(openssl.bignum_dec2bn("13")) == (False, True)
    assert 0 <= openssl.bignum_rand(64).value < 2**64
    with pytest.raises(
        LuaError, match=r"bad argument #1 to 'openssl.bignum_bn2dec' \(BIGNUM expected, got nil\)"
    ):
        openssl.bignum_bn2dec(None)


def test_bignum_methods_from_lua_side() -> None:
    bn = openssl.bignum_dec2bn("255")
    assert ops.invoke(bn, "tohex") == "FF"
    assert ops.invoke(bn, "todec") == "255"
    assert ops.invoke(bn, "num_bits") == 8
    assert ops.type_(bn) == "userdata"
    t = lua_module("openssl")
    assert t["md5"] is openssl.md5
    assert "aes-128-cbc" in openssl.supported_ciphers().to_list()
    assert "sha256" in openssl.supported_digests().to_list()
    assert len(openssl.rand_bytes(12)) == 12


NMAP_PRELUDE = """
M.t_bn = function(f, s) local b = M[f](s); return M.bignum_bn2hex(b), M.bignum_bn2dec(b), M.bignum_bn2bin(b), M.bignum_num_bits(b), M.bignum_num_bytes(b), b:tohex(), b:todec(), tostring(b), b:tobin() end
M.t_div = function(a, b) local q, r = M.bignum_div(M.bignum_dec2bn(a), M.bignum_dec2bn(b)); return M.bignum_bn2dec(q), M.bignum_bn2dec(r) end
M.t_modexp = function(a, p, m) return M.bignum_bn2dec(M.bignum_mod_exp(M.bignum_dec2bn(a), M.bignum_dec2bn(p), M.bignum_dec2bn(m))) end
M.t_add = function(a, b) return M.bignum_bn2dec(M.bignum_add(M.bignum_dec2bn(a), M.bignum_dec2bn(b))) end
M.t_bits = function(s, n) local b = M.bignum_dec2bn(s); local r = select("#", M.bignum_set_bit(b, n)); local x = M.bignum_bn2dec(b); M.bignum_clear_bit(b, 0); return r, x, M.bignum_bn2dec(b), M.bignum_is_bit_set(b, n), b:is_bit_set(0) end
M.t_prime = function(s) return M.bignum_is_prime(M.bignum_dec2bn(s)), M.bignum_is_safe_prime(M.bignum_dec2bn(s)) end
"""


def _py_helpers() -> dict[str, Any]:
    o = openssl

    def t_bn(f: Any = None, s: Any = None, *_: Any) -> Any:
        b = getattr(o, f)(s)
        return (
            o.bignum_bn2hex(b),
            o.bignum_bn2dec(b),
            o.bignum_bn2bin(b),
            o.bignum_num_bits(b),
            o.bignum_num_bytes(b),
            ops.invoke(b, "tohex"),
            ops.invoke(b, "todec"),
            ops.tostring(b),
            ops.invoke(b, "tobin"),
        )

    def t_div(a: Any = None, b: Any = None, *_: Any) -> Any:
        q, r = o.bignum_div(o.bignum_dec2bn(a), o.bignum_dec2bn(b))
        return o.bignum_bn2dec(q), o.bignum_bn2dec(r)

    def t_modexp(a: Any = None, p: Any = None, m: Any = None, *_: Any) -> Any:
        d = o.bignum_dec2bn
        return o.bignum_bn2dec(o.bignum_mod_exp(d(a), d(p), d(m)))

    def t_add(a: Any = None, b: Any = None, *_: Any) -> Any:
        return o.bignum_bn2dec(o.bignum_add(o.bignum_dec2bn(a), o.bignum_dec2bn(b)))

    def t_bits(s: Any = None, n: Any = None, *_: Any) -> Any:
        b = o.bignum_dec2bn(s)
        r = len(ops.mv(o.bignum_set_bit(b, n)))
        x = o.bignum_bn2dec(b)
        o.bignum_clear_bit(b, 0)
        return r, x, o.bignum_bn2dec(b), o.bignum_is_bit_set(b, n), ops.invoke(b, "is_bit_set", 0)

    def t_prime(s: Any = None, *_: Any) -> Any:
        return (o.bignum_is_prime(o.bignum_dec2bn(s)), *o.bignum_is_safe_prime(o.bignum_dec2bn(s)))

    return {k: v for k, v in locals().items() if k.startswith("t_")}


@pytest.mark.nmap
@needs_nmap
def test_vs_nmap() -> None:
    k16 = "0123456789abcdef"
    calls: list[tuple[str, list[object]]] = [
        ("md4", ["abc"]),
        ("md5", [""]),
        ("sha1", ["x" * 1000]),
        ("ripemd160", ["abc"]),
        ("digest", ["SHA256", "abc"]),
        ("digest", ["sha-256", "abc"]),
        ("digest", ["RSA-SHA1", "abc"]),
        ("digest", ["sha512", "abc"]),
        ("digest", ["nope", "x"]),
        ("hmac", ["nope", "k", "x"]),
        ("hmac", ["md5", "key", "msg"]),
        ("hmac", ["sha256", "k" * 100, "msg"]),
        ("hmac", ["MD4", "k", "m"]),
        ("encrypt", ["nope", "k", None, "x"]),
        ("encrypt", ["aes-128-cbc", "short", None, k16]),
        ("encrypt", ["aes-128-cbc", k16, None, "abc"]),
        ("decrypt", ["aes-128-cbc", k16, None, "abc"]),
        ("decrypt", ["aes-128-cbc", k16, None, k16, True]),
        ("encrypt", ["aes-128-cbc", k16, "short", k16]),
        ("encrypt", ["aes-128-ecb", k16, "x", k16]),
        ("encrypt", ["rc4", "k", None, "hello"]),
        ("encrypt", ["aes-128-cbc", k16, None, ""]),
        ("encrypt", ["aes-128-cbc", k16, None, "", True]),
        ("encrypt", ["des-ecb", "01234567", None, "abcdefgh"]),
        ("encrypt", ["bf-cbc", "k", "12345678", "abcdefgh"]),
        ("encrypt", ["chacha20", "k" * 32, "i" * 16, "abc"]),
        ("encrypt", ["aes-128-ctr", k16, None, "abc"]),
        ("encrypt", ["AES-128-CBC", k16, k16, "abc", True]),
        ("encrypt", ["DES", "12345678", None, "KGS!@#$%"]),
        ("encrypt", ["cast5-cbc", "k" * 16, "i" * 8, "a" * 16]),
        ("encrypt", ["aes-192-cbc", "k" * 24, "i" * 16, "a" * 32]),
        ("decrypt", ["aes-192-cbc", "k" * 24, "i" * 16, "a" * 32]),
        ("encrypt", ["des-ede3-cbc", "k" * 24, None, "a" * 8]),
        ("encrypt", ["des-ede", "k" * 16, None, "a" * 8]),
        ("encrypt", ["aes-128-cfb8", k16, k16, "abc"]),
        ("DES_string_to_key", ["abc"]),
        ("DES_string_to_key", ["\xff\x00\x12\x34\x56\x78\x9a"]),
        ("DES_string_to_key", ["PASSWOR"]),
        ("bignum_bn2dec", [None]),
        ("t_bn", ["bignum_dec2bn", "-291"]),
        ("t_bn", ["bignum_dec2bn", "12ab"]),
        ("t_bn", ["bignum_dec2bn", "abc"]),
        ("t_bn", ["bignum_hex2bn", "123"]),
        ("t_bn", ["bignum_hex2bn", "-ff"]),
        ("t_bn", ["bignum_bin2bn", ""]),
        ("t_bn", ["bignum_bin2bn", "\x00\x01"]),
        ("t_bn", ["bignum_dec2bn", "9" * 60]),
        ("t_div", ["-7", "2"]),
        ("t_div", ["7", "-2"]),
        ("t_div", ["7", "0"]),
        ("t_div", ["1" * 40, "3" * 20]),
        ("t_modexp", ["4", "13", "497"]),
        ("t_modexp", ["4", "13", "0"]),
        ("t_modexp", ["-4", "3", "7"]),
        ("t_add", ["-5", "3"]),
        ("t_bits", ["5", 8]),
        ("t_bits", ["-5", 3]),
        ("t_prime", ["23"]),
        ("t_prime", ["13"]),
        ("t_prime", ["1"]),
        ("t_prime", ["-7"]),
        ("t_prime", ["2147483647"]),
    ]
    helpers = _py_helpers()
    for k, v in helpers.items():
        setattr(openssl, k, v)
        openssl.__all__.append(k)
    try:
        compare("openssl", openssl, calls, NMAP_PRELUDE, runner=nmap_calls)
    finally:
        for k in helpers:
            openssl.__all__.remove(k)
            delattr(openssl, k)
