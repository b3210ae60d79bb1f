"""tls: tables, cipher_info, extension helpers, ClientHello bytes, record parsing and
key-exchange parsing compared with nmap's tls.lua under lua5.4."""

from __future__ import annotations

import subprocess
import types
from typing import Any

import pytest
from libref import STUB, compare, needs_nselib

from nse.lib import tls
from nse.lua.luatable import LuaTable
from nse.lua.strpack import str_pack

PRELUDE = """
os.time = function() return 1700000000 end
require("rand").random_string = function(n) return ("R"):rep(n) end
M.t_get = function(name) return M[name] end
M.t_ext = function(name, arg) return M.EXTENSION_HELPERS[name](arg) end
M.t_ske = function(kex, blob, proto)
  return M.KEX_ALGORITHMS[kex].server_key_exchange(blob, proto)
end
"""


def _t_get(name: Any) -> Any:
    return getattr(tls, name)


def _t_ext(name: Any, arg: Any) -> Any:
    return tls.EXTENSION_HELPERS[name](arg)


def _t_ske(kex: Any, blob: Any, proto: Any = None) -> Any:
    return tls.KEX_ALGORITHMS[kex]["server_key_exchange"](blob, proto)


PY = types.SimpleNamespace(
    __all__=[*tls.__all__, "t_get", "t_ext", "t_ske"],
    t_get=_t_get,
    t_ext=_t_ext,
    t_ske=_t_ske,
    **{n: getattr(tls, n) for n in tls.__all__},
)

TABLES = [
    "PROTOCOLS",
    "HIGHEST_PROTOCOL",
    "TLS_RECORD_HEADER_LENGTH",
    "TLS_CONTENTTYPE_REGISTRY",
    "TLS_ALERT_LEVELS",
    "TLS_ALERT_REGISTRY",
    "TLS_HANDSHAKETYPE_REGISTRY",
    "COMPRESSORS",
    "ELLIPTIC_CURVES",
    "DEFAULT_ELLIPTIC_CURVES",
    "EC_POINT_FORMATS",
    "HashAlgorithms",
    "SignatureAlgorithms",
    "SignatureSchemes",
    "EXTENSIONS",
    "SCSVS",
    "DEFAULT_TLS12_CIPHERS",
    "DEFAULT_TLS13_CIPHERS",
]


def _nmap_ciphers() -> dict[str, int]:
    src = (
        STUB + '\nlocal tls = require "tls"\n'
        'for k, v in pairs(tls.CIPHERS) do print(("%04X %s"):format(v, k)) end\n'
    )
    out = subprocess.run(
        ["lua5.4", "-"], input=src.encode(), capture_output=True, timeout=60
    ).stdout.decode()
    return {ln.split()[1]: int(ln.split()[0], 16) for ln in out.splitlines()}


@needs_nselib
def test_cipher_table_against_nmap() -> None:
    theirs = _nmap_ciphers()
    mine = dict(tls.CIPHERS.items())
    common = set(mine) & set(theirs)
    assert {n: mine[n] for n in common} == {n: theirs[n] for n in common}
    # nmap 7.93 has 397 names; ours are IANA's: the same code for every shared name,
    # every code nmap has except pre-standard drafts, nothing nmap lacks
    assert len(common) == 358
    assert set(mine.values()) <= set(theirs.values())
    missing = sorted(n for n, c in theirs.items() if c not in set(mine.values()))
    assert all(n.endswith("-draft") or "FIPS" in n or "GOSTR3410" in n for n in missing), missing
    assert len(missing) == 38


@needs_nselib
def test_tables_and_cipher_info_vs_nmap() -> None:
    theirs = _nmap_ciphers()
    calls: list[tuple[str, list[Any]]] = [("t_get", [n]) for n in TABLES]
    names = sorted(set(theirs) & set(dict(tls.CIPHERS.items())))
    calls += [("cipher_info", [n]) for n in names]
    calls += [
        ("cipher_info", [n])
        for n in ("FOO_BAR", "SSL_CK_RC4_128_WITH_MD5", "TLS_RSA_EXPORT_WITH_RC4_40_MD5")
    ]
    calls += [
        ("rsa_equiv", [k, b])
        for k in ("rsa", "dh", "ec", "x")
        for b in (100, 159, 160, 223, 255, 256, 383, 384, 511, 512, 2048)
    ]
    calls += [
        ("record_version_ok", [a, b])
        for a in ("TLSv1.2", "TLSv1.3", "SSLv3")
        for b in ("TLSv1.2", "TLSv1.3", "SSLv3")
    ]
    calls += [("servername", [h]) for h in ({"targetname": "a.example"}, {}, "x", None)]
    compare("tls", PY, calls, PRELUDE)


@needs_nselib
def test_builders_vs_nmap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls, "_now", lambda: 1700000000)
    monkeypatch.setattr(tls, "_random_bytes", lambda n: "R" * n)
    calls: list[tuple[str, list[Any]]] = [
        ("t_ext", ["server_name", "www.example.com"]),
        ("t_ext", ["elliptic_curves", ["secp256r1", "ecdh_x25519", "ffdhe2048"]]),
        ("t_ext", ["ec_point_formats", ["uncompressed", "ansiX962_compressed_prime"]]),
        ("t_ext", ["signature_algorithms", [["sha256", "rsa"], ["sha1", "ecdsa"], [9, 9]]]),
        ("t_ext", ["signature_algorithms_13", ["ed25519", "rsa_pss_rsae_sha256"]]),
        ("t_ext", ["application_layer_protocol_negotiation", ["h2", "http/1.1"]]),
        ("t_ext", ["supported_versions", ["TLSv1.3", "TLSv1.2"]]),
        ("t_ext", ["next_protocol_negotiation", ""]),
        ("t_ext", ["status_request", "\x01\x00\x00\x00\x00"]),
    ]
    calls += [
        ("record_write", [ty, p, b])
        for ty, p, b in (
            ("handshake", "TLSv1.2", "abc"),
            ("alert", "TLSv1.3", "\x02\x28"),
            ("heartbeat", "SSLv3", ""),
            ("application_data", "TLSv1.0", "x" * 300),
        )
    ]
    hellos: list[dict[str, Any]] = [
        {},
        {"protocol": "TLSv1.2"},
        {"protocol": "SSLv3"},
        {"protocol": "TLSv1.0"},
        {
            "protocol": "TLSv1.1",
            "ciphers": ["TLS_RSA_WITH_AES_128_CBC_SHA", 0x0A, "NOPE", "TLS_FALLBACK_SCSV"],
        },
        {"protocol": "TLSv1.3", "record_protocol": "TLSv1.3"},
        {"protocol": "TLSv1.2", "compressors": ["DEFLATE", "NULL"], "session_id": "S" * 32},
        {
            "protocol": "TLSv1.2",
            "extensions": {"server_name": tls.EXTENSION_HELPERS["server_name"]("h.example")},
        },
        {"protocol": "TLSv1.2", "extensions": {"signature_algorithms": "\x00\x02\x04\x01"}},
        {"protocol": "TLSv1.3", "extensions": {"supported_versions": "\x02\x03\x04"}},
        {"protocol": "TLSv1.3", "ciphers": ["TLS_AKE_WITH_SM4_GCM_SM3"]},
        {"protocol": "TLSv1.2", "extensions": {65000: "zz"}},
    ]
    calls += [("client_hello", [h]) for h in hellos]
    compare("tls", PY, calls, PRELUDE)


def _hs(htype: int, body: str) -> str:
    return str_pack(">B", htype) + str_pack(">s3", body)


def _server_flight() -> str:
    sh = (
        str_pack(">I2I4", 0x0303, 1234)
        + "r" * 28
        + str_pack(">s1", "sid")
        + str_pack(">I2B", 0xC02F, 0)
        + str_pack(
            ">s2",
            str_pack(">I2s2", 0xFF01, "\x00")
            + str_pack(">I2s2", 16, "\x00\x03\x02h2")
            + str_pack(">I2s2", 0x1234, "x"),
        )
    )
    certs = str_pack(">s3", str_pack(">s3", "CERT1") + str_pack(">s3", "CERT22"))
    return (
        tls.record_write("handshake", "TLSv1.2", _hs(2, sh) + _hs(11, certs) + _hs(14, ""))
        + tls.record_write("alert", "TLSv1.2", "\x02\x28")
        + tls.record_write("handshake", "TLSv1.2", _hs(12, "k" * 10))
        + tls.record_write("heartbeat", "TLSv1.2", "\x02" + str_pack(">s2", "pay") + "pad")
    )


@needs_nselib
def test_record_read_vs_nmap() -> None:
    buf = _server_flight()
    tls13 = tls.record_write(
        "handshake",
        "TLSv1.2",
        _hs(
            2,
            (
                str_pack(">I2I4", 0x0303, 0)
                + "\xcf\x21\xad\x74\xe5\x9a\x61\x11\xbe\x1d\x8c\x02\x1e\x65"
                "\xb8\x91\xc2\xa2\x11\x16\x7a\xbb\x8c\x5e\x07\x9e\x09\xe2\xc8\xa8\x33\x9c"
                + str_pack(">s1", "")
                + str_pack(">I2B", 0x1301, 0)
                + str_pack(">s2", str_pack(">I2s2", 43, "\x03\x04"))
            ),
        ),
    )
    split = tls.record_write("handshake", "TLSv1.2", _hs(2, "x" * 60)[:30])
    calls: list[tuple[str, list[Any]]] = []
    pos = 1
    for _ in range(5):
        calls.append(("record_read", [buf, pos]))
        pos = tls.record_read(buf, pos)[0]
    calls += [
        ("record_read", [tls13]),
        ("record_read", [split]),
        ("record_read", [split[:12]]),
        ("record_read", ["\x99\x03\x03\x00\x01x\x00"]),
        ("record_read", ["\x16\x09\x09\x00\x01xx"]),
        ("record_read", [buf[:40]]),
        ("record_read", [buf, 1, "\x0b"]),
    ]
    compare("tls", PY, calls, PRELUDE)


@needs_nselib
def test_server_key_exchange_vs_nmap() -> None:
    dh = str_pack(">s2s2s2", "P" * 128, "\x02", "Y" * 128)
    sig12 = str_pack(">BBs2", 4, 1, "S" * 16)
    ecnamed = str_pack(">BI2s1", 3, 23, "Q" * 65)
    calls: list[tuple[str, list[Any]]] = [
        ("t_ske", ["DHE_RSA", dh + sig12, "TLSv1.2"]),
        ("t_ske", ["DHE_RSA", dh + str_pack(">s2", "S"), "TLSv1.0"]),
        ("t_ske", ["DH_anon", dh, None]),
        ("t_ske", ["ECDHE_RSA", ecnamed + sig12, "TLSv1.2"]),
        ("t_ske", ["ECDHE_ECDSA", str_pack(">BI2s1", 3, 29, "Q" * 32), "TLSv1.2"]),
        ("t_ske", ["ECDH_anon", str_pack(">BI2s1", 3, 0x0100, "q"), None]),
        ("t_ske", ["RSA_EXPORT", str_pack(">s2s2", "M" * 64, "\x01\x00\x01") + sig12, "TLSv1.2"]),
        ("t_ske", ["PSK", str_pack(">s2", "hint"), None]),
        ("t_ske", ["DHE_PSK", str_pack(">s2", "h") + dh, None]),
        ("t_ske", ["ECDHE_PSK", str_pack(">s2", "h") + ecnamed, None]),
        (
            "t_ske",
            [
                "SRP_SHA_RSA",
                str_pack(">s2s2s1s2", "N" * 64, "\x02", "salt", "B" * 64) + sig12,
                "TLSv1.2",
            ],
        ),
        ("t_ske", ["AKE", str_pack(">I2", 29), None]),
        ("t_ske", ["AKE", str_pack(">I2", 0x0101), None]),
        ("t_ske", ["ECMQV_ECDSA", str_pack(">s1", "mqv"), None]),
    ]
    compare("tls", PY, calls, PRELUDE)


class _Sock:
    def __init__(self, data: str, step: int = 3) -> None:
        self.data, self.step = data, step

    def receive_bytes(self, n: int) -> Any:
        if not self.data:
            return None, "EOF"
        k = max(n, self.step)
        out, self.data = self.data[:k], self.data[k:]
        return True, out


def test_record_buffer() -> None:
    buf = _server_flight()
    ok, got = tls.record_buffer(_Sock(buf))
    first_len = 5 + int.from_bytes(buf[3:5].encode("latin-1"), "big")
    assert ok is True and got.startswith(buf[:first_len]) and len(got) >= first_len
    assert tls.record_buffer(_Sock("HTTP/1.1 400 Bad\r\n")) == (
        False,
        "HTTP/",
        "Unknown TLS protocol version or content type",
    )
    ok, got, err = tls.record_buffer(_Sock(buf[:20]))
    assert (ok, err) == (False, "EOF")
    pos, rec, ok = tls.record_read(buf, 1)
    assert rec["body"][1]["cipher"] == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    assert rec["body"][2]["certificates"].to_list() == ["CERT1", "CERT22"]
    assert isinstance(rec["body"][1]["extensions"], LuaTable)


@pytest.mark.parametrize("name", ["http", "tls", "sslcert", "asn1"])
def test_module_contract(name: str) -> None:
    """nse.lib's contract for these modules: listed, one cached table of Lua values whose
    entries are the module's own objects."""
    import importlib

    from nse.lib import lua_module, lua_name_map, module_names

    assert name in module_names()
    t = lua_module(name)
    assert lua_module(name) is t
    mod = importlib.import_module(f"nse.lib.{name}")
    for py, lua in lua_name_map(mod).items():
        v = t[lua]
        assert v is getattr(mod, py), (name, lua)
        assert v is None or isinstance(v, bool | int | float | str | LuaTable) or callable(v)
        if isinstance(v, str):
            assert all(ord(c) < 256 for c in v)
