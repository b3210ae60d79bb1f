"""The ``tls`` library: TLS record and handshake building/parsing as nselib's tls.lua
(used by ssl-enum-ciphers, tls-alpn, ssl-date, tls-nextprotoneg, sslcert's STARTTLS code).

Protocol constants (content types, alerts, handshake types, extensions, named groups,
signature schemes, cipher suites) are written here from the IANA TLS registries.  Cipher
suite names are IANA's, except that the TLS 1.3 suites are spelled ``TLS_AKE_WITH_...``
(``TLS_AKE_WITH_AES_128_GCM_SHA256`` = 0x1301, RFC 9150's ``TLS_SHA256_SHA256`` =
``TLS_AKE_WITH_NULL_SHA256``) because nselib's ``cipher_info`` reads the
key exchange from the part before ``_WITH_`` and scripts look these names up.  nselib also
lists pre-standard draft suites (ECC drafts, OpenPGP RMD drafts, some GOST drafts) which
are not in the IANA registry; those are not here, so scanning does not offer them (see
tests/lib/test_tls.py for the exact difference against nmap 7.93's table).

Parsers return what nselib returns: ``record_read(buffer, i) -> next position, record,
ok`` with ``record = {type, protocol, length, body = {messages...}, fragment}``; a
handshake message is ``{type = "server_hello", protocol, time, random, session_id, cipher,
compressor, extensions = {name = data}}`` or ``{type = "certificate", certificates =
{der...}}``.  ``record_read`` keeps nselib's slice of one byte past the record (harmless,
and it decides when a trailing fragment is reported, so it is kept).

Extension order in ``client_hello``: nselib walks ``t.extensions`` with ``pairs`` (Lua's
hash order); here it is the table's insertion order, so byte output matches nselib only
up to the order of extensions given as a table with several keys.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

from nse.lib._util import debug as _debug
from nse.lib._util import results as _mv
from nse.lua.errors import PRE_ADJUSTED_MODULES, LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import tonumber, tostring
from nse.lua.strlib import str_match
from nse.lua.strpack import str_pack, str_unpack

# string.pack/unpack are called here as plain functions: argument errors count from #1
PRE_ADJUSTED_MODULES.add(__name__)

__all__ = [
    "PROTOCOLS", "HIGHEST_PROTOCOL", "TLS_RECORD_HEADER_LENGTH", "TLS_CONTENTTYPE_REGISTRY",
    "TLS_ALERT_LEVELS", "TLS_ALERT_REGISTRY", "TLS_HANDSHAKETYPE_REGISTRY", "COMPRESSORS",
    "ELLIPTIC_CURVES", "DEFAULT_ELLIPTIC_CURVES", "EC_POINT_FORMATS", "HashAlgorithms",
    "SignatureAlgorithms", "SignatureSchemes", "EXTENSIONS", "EXTENSION_HELPERS", "CIPHERS",
    "DEFAULT_TLS12_CIPHERS", "DEFAULT_TLS13_CIPHERS", "KEX_ALGORITHMS", "SCSVS",
    "rsa_equiv", "cipher_info", "handshake_parse", "message_parse", "parse_messages",
    "record_read", "record_version_ok", "record_write", "client_hello", "record_buffer",
    "servername",
]  # fmt: skip


def _t(d: dict[str, Any]) -> LuaTable:
    return LuaTable.from_dict(d)


# ------------------------------------------------------------------ registries (IANA)

PROTOCOLS = _t(
    {"SSLv3": 0x0300, "TLSv1.0": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303, "TLSv1.3": 0x0304}
)
HIGHEST_PROTOCOL = "TLSv1.3"
TLS_RECORD_HEADER_LENGTH = 5

# TLS ContentType (RFC 8446 §5.1, RFC 9146, RFC 9147)
TLS_CONTENTTYPE_REGISTRY = _t(
    {
        "change_cipher_spec": 20,
        "alert": 21,
        "handshake": 22,
        "application_data": 23,
        "heartbeat": 24,
        "tls12_cid": 25,
        "ACK": 26,
    }
)
TLS_ALERT_LEVELS = _t({"warning": 1, "fatal": 2})
# TLS Alerts registry
TLS_ALERT_REGISTRY = _t(
    {
        "close_notify": 0,
        "unexpected_message": 10,
        "bad_record_mac": 20,
        "decryption_failed": 21,
        "record_overflow": 22,
        "decompression_failure": 30,
        "handshake_failure": 40,
        "no_certificate": 41,
        "bad_certificate": 42,
        "unsupported_certificate": 43,
        "certificate_revoked": 44,
        "certificate_expired": 45,
        "certificate_unknown": 46,
        "illegal_parameter": 47,
        "unknown_ca": 48,
        "access_denied": 49,
        "decode_error": 50,
        "decrypt_error": 51,
        "too_many_cids_requested": 52,
        "export_restriction": 60,
        "protocol_version": 70,
        "insufficient_security": 71,
        "internal_error": 80,
        "inappropriate_fallback": 86,
        "user_canceled": 90,
        "no_renegotiation": 100,
        "missing_extension": 109,
        "unsupported_extension": 110,
        "certificate_unobtainable": 111,
        "unrecognized_name": 112,
        "bad_certificate_status_response": 113,
        "bad_certificate_hash_value": 114,
        "unknown_psk_identity": 115,
        "certificate_required": 116,
        "no_application_protocol": 120,
    }
)
# TLS HandshakeType registry
TLS_HANDSHAKETYPE_REGISTRY = _t(
    {
        "hello_request": 0,
        "client_hello": 1,
        "server_hello": 2,
        "hello_verify_request": 3,
        "NewSessionTicket": 4,
        "end_of_early_data": 5,
        "hello_retry_request": 6,
        "encrypted_extensions": 8,
        "request_connection_id": 9,
        "new_connection_id": 10,
        "certificate": 11,
        "server_key_exchange": 12,
        "certificate_request": 13,
        "server_hello_done": 14,
        "certificate_verify": 15,
        "client_key_exchange": 16,
        "client_certificate_request": 17,
        "finished": 20,
        "certificate_url": 21,
        "certificate_status": 22,
        "supplemental_data": 23,
        "key_update": 24,
        "compressed_certificate": 25,
        "ekt_key": 26,
        "next_protocol": 67,
        "message_hash": 254,
    }
)
COMPRESSORS = _t({"NULL": 0, "DEFLATE": 1, "LZS": 64})
# TLS Supported Groups registry (names as nselib spells them)
ELLIPTIC_CURVES = _t(
    {
        **{
            n: i + 1
            for i, n in enumerate(
                (
                    "sect163k1",
                    "sect163r1",
                    "sect163r2",
                    "sect193r1",
                    "sect193r2",
                    "sect233k1",
                    "sect233r1",
                    "sect239k1",
                    "sect283k1",
                    "sect283r1",
                    "sect409k1",
                    "sect409r1",
                    "sect571k1",
                    "sect571r1",
                    "secp160k1",
                    "secp160r1",
                    "secp160r2",
                    "secp192k1",
                    "secp192r1",
                    "secp224k1",
                    "secp224r1",
                    "secp256k1",
                    "secp256r1",
                    "secp384r1",
                    "secp521r1",
                    "brainpoolP256r1",
                    "brainpoolP384r1",
                    "brainpoolP512r1",
                    "ecdh_x25519",
                    "ecdh_x448",
                    "brainpoolP256r1tls13",
                    "brainpoolP384r1tls13",
                    "brainpoolP512r1tls13",
                    "GC256A",
                    "GC256B",
                    "GC256C",
                    "GC256D",
                    "GC512A",
                    "GC512B",
                    "GC512C",
                    "curveSM2",
                )
            )
        },
        "ffdhe2048": 0x0100,
        "ffdhe3072": 0x0101,
        "ffdhe4096": 0x0102,
        "ffdhe6144": 0x0103,
        "ffdhe8192": 0x0104,
        "arbitrary_explicit_prime_curves": 0xFF01,
        "arbitrary_explicit_char2_curves": 0xFF02,
    }
)
DEFAULT_ELLIPTIC_CURVES = LuaTable.from_list(
    ["secp256r1", "secp384r1", "secp521r1", "ecdh_x25519", "ffdhe2048"]
)
EC_POINT_FORMATS = _t(
    {"uncompressed": 0, "ansiX962_compressed_prime": 1, "ansiX962_compressed_char2": 2}
)
HashAlgorithms = _t(
    {
        "none": 0,
        "md5": 1,
        "sha1": 2,
        "sha224": 3,
        "sha256": 4,
        "sha384": 5,
        "sha512": 6,
        "intrinsic": 8,
    }
)
SignatureAlgorithms = _t({"anonymous": 0, "rsa": 1, "dsa": 2, "ecdsa": 3, "ed25519": 7, "ed448": 8})
# TLS SignatureScheme registry
SignatureSchemes = _t(
    {
        "rsa_pkcs1_sha256": 0x0401,
        "rsa_pkcs1_sha384": 0x0501,
        "rsa_pkcs1_sha512": 0x0601,
        "ecdsa_secp256r1_sha256": 0x0403,
        "ecdsa_secp384r1_sha384": 0x0503,
        "ecdsa_secp521r1_sha512": 0x0603,
        "eccsi_sha256": 0x0704,
        "iso_ibs1": 0x0705,
        "iso_ibs2": 0x0706,
        "iso_chinese_ibs": 0x0707,
        "sm2sig_sm3": 0x0708,
        "gostr34102012_256a": 0x0709,
        "gostr34102012_256b": 0x070A,
        "gostr34102012_256c": 0x070B,
        "gostr34102012_256d": 0x070C,
        "gostr34102012_512a": 0x070D,
        "gostr34102012_512b": 0x070E,
        "gostr34102012_512c": 0x070F,
        "rsa_pss_rsae_sha256": 0x0804,
        "rsa_pss_rsae_sha384": 0x0805,
        "rsa_pss_rsae_sha512": 0x0806,
        "ed25519": 0x0807,
        "ed448": 0x0808,
        "rsa_pss_pss_sha256": 0x0809,
        "rsa_pss_pss_sha384": 0x080A,
        "rsa_pss_pss_sha512": 0x080B,
        "ecdsa_brainpoolP256r1tls13_sha256": 0x081A,
        "ecdsa_brainpoolP384r1tls13_sha384": 0x081B,
        "ecdsa_brainpoolP512r1tls13_sha512": 0x081C,
        "rsa_pkcs1_sha1": 0x0201,
        "ecdsa_sha1": 0x0203,
    }
)
# TLS ExtensionType registry (signature_algorithms_13 is nselib's alias of 13 for the
# TLS 1.3 SignatureScheme list)
EXTENSIONS = _t(
    {
        "server_name": 0,
        "max_fragment_length": 1,
        "client_certificate_url": 2,
        "trusted_ca_keys": 3,
        "truncated_hmac": 4,
        "status_request": 5,
        "user_mapping": 6,
        "client_authz": 7,
        "server_authz": 8,
        "cert_type": 9,
        "elliptic_curves": 10,
        "ec_point_formats": 11,
        "srp": 12,
        "signature_algorithms": 13,
        "signature_algorithms_13": 13,
        "use_srtp": 14,
        "heartbeat": 15,
        "application_layer_protocol_negotiation": 16,
        "status_request_v2": 17,
        "signed_certificate_timestamp": 18,
        "client_certificate_type": 19,
        "server_certificate_type": 20,
        "padding": 21,
        "encrypt_then_mac": 22,
        "extended_master_secret": 23,
        "token_binding": 24,
        "cached_info": 25,
        "tls_lts": 26,
        "compress_certificate": 27,
        "record_size_limit": 28,
        "pwd_protect": 29,
        "pwd_clear": 30,
        "password_salt": 31,
        "ticket_pinning": 32,
        "tls_cert_with_extern_psk": 33,
        "delegated_credentials": 34,
        "TLMSP": 35,
        "TLMSP_proxying": 36,
        "TLMSP_delegate": 37,
        "supported_ekt_ciphers": 38,
        "SessionTicket TLS": 39,
        "pre_shared_key": 41,
        "early_data": 42,
        "supported_versions": 43,
        "cookie": 44,
        "psk_key_exchange_modes": 45,
        "certificate_authorities": 47,
        "oid_filters": 48,
        "post_handshake_auth": 49,
        "signature_algorithms_cert": 50,
        "key_share": 51,
        "transparency_info": 52,
        "connection_id-deprecated": 53,
        "connection_id": 54,
        "external_id_hash": 55,
        "external_session_id": 56,
        "quic_transport_parameters": 57,
        "ticket_request": 58,
        "dnssec_chain": 59,
        "next_protocol_negotiation": 13172,
        "renegotiation_info": 65281,
    }
)


def _inverse(t: LuaTable) -> dict[Any, Any]:
    # first name wins for a value listed twice (EXTENSIONS 13, SignatureSchemes 0x0708)
    inv: dict[Any, Any] = {}
    for k, v in t.items():
        inv.setdefault(v, k)
    return inv


# ------------------------------------------------------------------ extension helpers


def _ipairs(t: Any) -> list[Any]:
    out = []
    i = 1
    while isinstance(t, LuaTable) and t[i] is not None:
        out.append(t[i])
        i += 1
    return out


def _ext_server_name(server_name: Any = None, *_: Any) -> str:
    return str_pack(">s2", str_pack(">Bs2", 0, server_name))


def _ext_elliptic_curves(curves: Any = None, *_: Any) -> str:
    return str_pack(">s2", "".join(str_pack(">I2", ELLIPTIC_CURVES[n]) for n in _ipairs(curves)))


def _ext_ec_point_formats(formats: Any = None, *_: Any) -> str:
    return str_pack(">s1", "".join(str_pack(">B", EC_POINT_FORMATS[f]) for f in _ipairs(formats)))


def _or(a: Any, b: Any) -> Any:
    return a if a is not None and a is not False else b


def _ext_signature_algorithms(pairs: Any = None, *_: Any) -> str:
    out = []
    for pair in _ipairs(pairs):
        out.append(
            str_pack(
                ">BB",
                _or(HashAlgorithms[pair[1]], pair[1]),
                _or(SignatureAlgorithms[pair[2]], pair[2]),
            )
        )
    return str_pack(">s2", "".join(out))


def _ext_signature_algorithms_13(schemes: Any = None, *_: Any) -> str:
    return str_pack(">s2", "".join(str_pack(">I2", SignatureSchemes[n]) for n in _ipairs(schemes)))


def _ext_alpn(protocols: Any = None, *_: Any) -> str:
    return str_pack(">s2", "".join(str_pack(">s1", p) for p in _ipairs(protocols)))


def _ext_supported_versions(versions: Any = None, *_: Any) -> str:
    return str_pack(">s1", "".join(str_pack(">I2", PROTOCOLS[n]) for n in _ipairs(versions)))


def _lua_tostring(v: Any = None, *_: Any) -> str:
    return tostring(v)


EXTENSION_HELPERS = _t(
    {
        "server_name": _ext_server_name,
        "max_fragment_length": _lua_tostring,
        "client_certificate_url": _lua_tostring,
        "trusted_ca_keys": _lua_tostring,
        "truncated_hmac": _lua_tostring,
        "status_request": _lua_tostring,
        "elliptic_curves": _ext_elliptic_curves,
        "ec_point_formats": _ext_ec_point_formats,
        "signature_algorithms": _ext_signature_algorithms,
        "signature_algorithms_13": _ext_signature_algorithms_13,
        "application_layer_protocol_negotiation": _ext_alpn,
        "next_protocol_negotiation": _lua_tostring,
        "supported_versions": _ext_supported_versions,
    }
)


# ------------------------------------------------------------------ cipher suites

# The IANA TLS Cipher Suites registry, written as "code name" per line.  Families that
# the registry numbers in regular runs are generated below from their pattern.
_IANA = """
0000 NULL_WITH_NULL_NULL
0001 RSA_WITH_NULL_MD5
0002 RSA_WITH_NULL_SHA
0003 RSA_EXPORT_WITH_RC4_40_MD5
0004 RSA_WITH_RC4_128_MD5
0005 RSA_WITH_RC4_128_SHA
0006 RSA_EXPORT_WITH_RC2_CBC_40_MD5
0007 RSA_WITH_IDEA_CBC_SHA
0008 RSA_EXPORT_WITH_DES40_CBC_SHA
0009 RSA_WITH_DES_CBC_SHA
000A RSA_WITH_3DES_EDE_CBC_SHA
000B DH_DSS_EXPORT_WITH_DES40_CBC_SHA
000C DH_DSS_WITH_DES_CBC_SHA
000D DH_DSS_WITH_3DES_EDE_CBC_SHA
000E DH_RSA_EXPORT_WITH_DES40_CBC_SHA
000F DH_RSA_WITH_DES_CBC_SHA
0010 DH_RSA_WITH_3DES_EDE_CBC_SHA
0011 DHE_DSS_EXPORT_WITH_DES40_CBC_SHA
0012 DHE_DSS_WITH_DES_CBC_SHA
0013 DHE_DSS_WITH_3DES_EDE_CBC_SHA
0014 DHE_RSA_EXPORT_WITH_DES40_CBC_SHA
0015 DHE_RSA_WITH_DES_CBC_SHA
0016 DHE_RSA_WITH_3DES_EDE_CBC_SHA
0017 DH_anon_EXPORT_WITH_RC4_40_MD5
0018 DH_anon_WITH_RC4_128_MD5
0019 DH_anon_EXPORT_WITH_DES40_CBC_SHA
001A DH_anon_WITH_DES_CBC_SHA
001B DH_anon_WITH_3DES_EDE_CBC_SHA
001E KRB5_WITH_DES_CBC_SHA
001F KRB5_WITH_3DES_EDE_CBC_SHA
0020 KRB5_WITH_RC4_128_SHA
0021 KRB5_WITH_IDEA_CBC_SHA
0022 KRB5_WITH_DES_CBC_MD5
0023 KRB5_WITH_3DES_EDE_CBC_MD5
0024 KRB5_WITH_RC4_128_MD5
0025 KRB5_WITH_IDEA_CBC_MD5
0026 KRB5_EXPORT_WITH_DES_CBC_40_SHA
0027 KRB5_EXPORT_WITH_RC2_CBC_40_SHA
0028 KRB5_EXPORT_WITH_RC4_40_SHA
0029 KRB5_EXPORT_WITH_DES_CBC_40_MD5
002A KRB5_EXPORT_WITH_RC2_CBC_40_MD5
002B KRB5_EXPORT_WITH_RC4_40_MD5
002C PSK_WITH_NULL_SHA
002D DHE_PSK_WITH_NULL_SHA
002E RSA_PSK_WITH_NULL_SHA
003B RSA_WITH_NULL_SHA256
0060 RSA_EXPORT1024_WITH_RC4_56_MD5
0061 RSA_EXPORT1024_WITH_RC2_CBC_56_MD5
0062 RSA_EXPORT1024_WITH_DES_CBC_SHA
0063 DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA
0064 RSA_EXPORT1024_WITH_RC4_56_SHA
0065 DHE_DSS_EXPORT1024_WITH_RC4_56_SHA
0066 DHE_DSS_WITH_RC4_128_SHA
008A PSK_WITH_RC4_128_SHA
008B PSK_WITH_3DES_EDE_CBC_SHA
008C PSK_WITH_AES_128_CBC_SHA
008D PSK_WITH_AES_256_CBC_SHA
008E DHE_PSK_WITH_RC4_128_SHA
008F DHE_PSK_WITH_3DES_EDE_CBC_SHA
0090 DHE_PSK_WITH_AES_128_CBC_SHA
0091 DHE_PSK_WITH_AES_256_CBC_SHA
0092 RSA_PSK_WITH_RC4_128_SHA
0093 RSA_PSK_WITH_3DES_EDE_CBC_SHA
0094 RSA_PSK_WITH_AES_128_CBC_SHA
0095 RSA_PSK_WITH_AES_256_CBC_SHA
00A8 PSK_WITH_AES_128_GCM_SHA256
00A9 PSK_WITH_AES_256_GCM_SHA384
00AA DHE_PSK_WITH_AES_128_GCM_SHA256
00AB DHE_PSK_WITH_AES_256_GCM_SHA384
00AC RSA_PSK_WITH_AES_128_GCM_SHA256
00AD RSA_PSK_WITH_AES_256_GCM_SHA384
00AE PSK_WITH_AES_128_CBC_SHA256
00AF PSK_WITH_AES_256_CBC_SHA384
00B0 PSK_WITH_NULL_SHA256
00B1 PSK_WITH_NULL_SHA384
00B2 DHE_PSK_WITH_AES_128_CBC_SHA256
00B3 DHE_PSK_WITH_AES_256_CBC_SHA384
00B4 DHE_PSK_WITH_NULL_SHA256
00B5 DHE_PSK_WITH_NULL_SHA384
00B6 RSA_PSK_WITH_AES_128_CBC_SHA256
00B7 RSA_PSK_WITH_AES_256_CBC_SHA384
00B8 RSA_PSK_WITH_NULL_SHA256
00B9 RSA_PSK_WITH_NULL_SHA384
00C6 AKE_WITH_SM4_GCM_SM3
00C7 AKE_WITH_SM4_CCM_SM3
1301 AKE_WITH_AES_128_GCM_SHA256
1302 AKE_WITH_AES_256_GCM_SHA384
1303 AKE_WITH_CHACHA20_POLY1305_SHA256
1304 AKE_WITH_AES_128_CCM_SHA256
1305 AKE_WITH_AES_128_CCM_8_SHA256
C001 ECDH_ECDSA_WITH_NULL_SHA
C002 ECDH_ECDSA_WITH_RC4_128_SHA
C003 ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA
C004 ECDH_ECDSA_WITH_AES_128_CBC_SHA
C005 ECDH_ECDSA_WITH_AES_256_CBC_SHA
C006 ECDHE_ECDSA_WITH_NULL_SHA
C007 ECDHE_ECDSA_WITH_RC4_128_SHA
C008 ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA
C009 ECDHE_ECDSA_WITH_AES_128_CBC_SHA
C00A ECDHE_ECDSA_WITH_AES_256_CBC_SHA
C00B ECDH_RSA_WITH_NULL_SHA
C00C ECDH_RSA_WITH_RC4_128_SHA
C00D ECDH_RSA_WITH_3DES_EDE_CBC_SHA
C00E ECDH_RSA_WITH_AES_128_CBC_SHA
C00F ECDH_RSA_WITH_AES_256_CBC_SHA
C010 ECDHE_RSA_WITH_NULL_SHA
C011 ECDHE_RSA_WITH_RC4_128_SHA
C012 ECDHE_RSA_WITH_3DES_EDE_CBC_SHA
C013 ECDHE_RSA_WITH_AES_128_CBC_SHA
C014 ECDHE_RSA_WITH_AES_256_CBC_SHA
C015 ECDH_anon_WITH_NULL_SHA
C016 ECDH_anon_WITH_RC4_128_SHA
C017 ECDH_anon_WITH_3DES_EDE_CBC_SHA
C018 ECDH_anon_WITH_AES_128_CBC_SHA
C019 ECDH_anon_WITH_AES_256_CBC_SHA
C01A SRP_SHA_WITH_3DES_EDE_CBC_SHA
C01B SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA
C01C SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA
C01D SRP_SHA_WITH_AES_128_CBC_SHA
C01E SRP_SHA_RSA_WITH_AES_128_CBC_SHA
C01F SRP_SHA_DSS_WITH_AES_128_CBC_SHA
C020 SRP_SHA_WITH_AES_256_CBC_SHA
C021 SRP_SHA_RSA_WITH_AES_256_CBC_SHA
C022 SRP_SHA_DSS_WITH_AES_256_CBC_SHA
C023 ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
C024 ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
C025 ECDH_ECDSA_WITH_AES_128_CBC_SHA256
C026 ECDH_ECDSA_WITH_AES_256_CBC_SHA384
C027 ECDHE_RSA_WITH_AES_128_CBC_SHA256
C028 ECDHE_RSA_WITH_AES_256_CBC_SHA384
C029 ECDH_RSA_WITH_AES_128_CBC_SHA256
C02A ECDH_RSA_WITH_AES_256_CBC_SHA384
C02B ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
C02C ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
C02D ECDH_ECDSA_WITH_AES_128_GCM_SHA256
C02E ECDH_ECDSA_WITH_AES_256_GCM_SHA384
C02F ECDHE_RSA_WITH_AES_128_GCM_SHA256
C030 ECDHE_RSA_WITH_AES_256_GCM_SHA384
C031 ECDH_RSA_WITH_AES_128_GCM_SHA256
C032 ECDH_RSA_WITH_AES_256_GCM_SHA384
C033 ECDHE_PSK_WITH_RC4_128_SHA
C034 ECDHE_PSK_WITH_3DES_EDE_CBC_SHA
C035 ECDHE_PSK_WITH_AES_128_CBC_SHA
C036 ECDHE_PSK_WITH_AES_256_CBC_SHA
C037 ECDHE_PSK_WITH_AES_128_CBC_SHA256
C038 ECDHE_PSK_WITH_AES_256_CBC_SHA384
C039 ECDHE_PSK_WITH_NULL_SHA
C03A ECDHE_PSK_WITH_NULL_SHA256
C03B ECDHE_PSK_WITH_NULL_SHA384
C09C RSA_WITH_AES_128_CCM
C09D RSA_WITH_AES_256_CCM
C09E DHE_RSA_WITH_AES_128_CCM
C09F DHE_RSA_WITH_AES_256_CCM
C0A0 RSA_WITH_AES_128_CCM_8
C0A1 RSA_WITH_AES_256_CCM_8
C0A2 DHE_RSA_WITH_AES_128_CCM_8
C0A3 DHE_RSA_WITH_AES_256_CCM_8
C0A4 PSK_WITH_AES_128_CCM
C0A5 PSK_WITH_AES_256_CCM
C0A6 DHE_PSK_WITH_AES_128_CCM
C0A7 DHE_PSK_WITH_AES_256_CCM
C0A8 PSK_WITH_AES_128_CCM_8
C0A9 PSK_WITH_AES_256_CCM_8
C0AA PSK_DHE_WITH_AES_128_CCM_8
C0AB PSK_DHE_WITH_AES_256_CCM_8
C0AC ECDHE_ECDSA_WITH_AES_128_CCM
C0AD ECDHE_ECDSA_WITH_AES_256_CCM
C0AE ECDHE_ECDSA_WITH_AES_128_CCM_8
C0AF ECDHE_ECDSA_WITH_AES_256_CCM_8
C0B0 ECCPWD_WITH_AES_128_GCM_SHA256
C0B1 ECCPWD_WITH_AES_256_GCM_SHA384
C0B2 ECCPWD_WITH_AES_128_CCM_SHA256
C0B3 ECCPWD_WITH_AES_256_CCM_SHA384
C0B4 AKE_WITH_NULL_SHA256
C0B5 AKE_WITH_NULL_SHA384
C100 GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC
C101 GOSTR341112_256_WITH_MAGMA_CTR_OMAC
C102 GOSTR341112_256_WITH_28147_CNT_IMIT
C103 GOSTR341112_256_WITH_KUZNYECHIK_MGM_L
C104 GOSTR341112_256_WITH_MAGMA_MGM_L
C105 GOSTR341112_256_WITH_KUZNYECHIK_MGM_S
C106 GOSTR341112_256_WITH_MAGMA_MGM_S
CCA8 ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
CCA9 ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
CCAA DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
CCAB PSK_WITH_CHACHA20_POLY1305_SHA256
CCAC ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
CCAD DHE_PSK_WITH_CHACHA20_POLY1305_SHA256
CCAE RSA_PSK_WITH_CHACHA20_POLY1305_SHA256
D001 ECDHE_PSK_WITH_AES_128_GCM_SHA256
D002 ECDHE_PSK_WITH_AES_256_GCM_SHA384
D003 ECDHE_PSK_WITH_AES_128_CCM_8_SHA256
D005 ECDHE_PSK_WITH_AES_128_CCM_SHA256
"""

# Runs of the registry that follow a key-exchange order: (first code, kex list, suffix)
_KX6 = ("RSA", "DH_DSS", "DH_RSA", "DHE_DSS", "DHE_RSA", "DH_anon")
_RUNS: list[tuple[int, tuple[str, ...], str]] = [
    (0x002F, _KX6, "AES_128_CBC_SHA"),
    (0x0035, _KX6, "AES_256_CBC_SHA"),
    (0x0041, _KX6, "CAMELLIA_128_CBC_SHA"),
    (0x0084, _KX6, "CAMELLIA_256_CBC_SHA"),
    (0x0096, _KX6, "SEED_CBC_SHA"),
    (0x00BA, _KX6, "CAMELLIA_128_CBC_SHA256"),
    (0x00C0, _KX6, "CAMELLIA_256_CBC_SHA256"),
]
_PAIRS_GCM = ("RSA", "DHE_RSA", "DH_RSA", "DHE_DSS", "DH_DSS", "DH_anon")
_EC4 = ("ECDHE_ECDSA", "ECDH_ECDSA", "ECDHE_RSA", "ECDH_RSA")
_PSK3 = ("PSK", "DHE_PSK", "RSA_PSK")


def _build_ciphers() -> LuaTable:
    codes: dict[str, int] = {}
    for line in _IANA.strip().splitlines():
        hexcode, name = line.split()
        codes["TLS_" + name] = int(hexcode, 16)

    def add(code: int, kex: str, rest: str) -> None:
        codes[f"TLS_{kex}_WITH_{rest}"] = code

    for first, kexes, rest in _RUNS:
        for i, kex in enumerate(kexes):
            add(first + i, kex, rest)
    # 0x003C-0x0040, 0x0067-0x006D: AES with SHA-256 (TLS 1.2, RFC 5246)
    for code, kex, rest in (
        (0x003C, "RSA", "AES_128_CBC_SHA256"),
        (0x003D, "RSA", "AES_256_CBC_SHA256"),
        (0x003E, "DH_DSS", "AES_128_CBC_SHA256"),
        (0x003F, "DH_RSA", "AES_128_CBC_SHA256"),
        (0x0040, "DHE_DSS", "AES_128_CBC_SHA256"),
        (0x0067, "DHE_RSA", "AES_128_CBC_SHA256"),
        (0x0068, "DH_DSS", "AES_256_CBC_SHA256"),
        (0x0069, "DH_RSA", "AES_256_CBC_SHA256"),
        (0x006A, "DHE_DSS", "AES_256_CBC_SHA256"),
        (0x006B, "DHE_RSA", "AES_256_CBC_SHA256"),
        (0x006C, "DH_anon", "AES_128_CBC_SHA256"),
        (0x006D, "DH_anon", "AES_256_CBC_SHA256"),
    ):
        add(code, kex, rest)
    # 0x009C-0x00A7: AES-GCM (RFC 5288), 128 then 256 for each key exchange
    for i, kex in enumerate(_PAIRS_GCM):
        add(0x009C + 2 * i, kex, "AES_128_GCM_SHA256")
        add(0x009D + 2 * i, kex, "AES_256_GCM_SHA384")

    def pairs_run(first: int, kexes: tuple[str, ...], alg: str, mode: str) -> int:
        code = first
        for kex in kexes:
            add(code, kex, f"{alg}_128_{mode}_SHA256")
            add(code + 1, kex, f"{alg}_256_{mode}_SHA384")
            code += 2
        return code

    # ARIA (RFC 6209): 0xC03C-0xC071
    c = pairs_run(
        0xC03C, ("RSA", "DH_DSS", "DH_RSA", "DHE_DSS", "DHE_RSA", "DH_anon"), "ARIA", "CBC"
    )
    c = pairs_run(c, _EC4, "ARIA", "CBC")
    c = pairs_run(c, _PAIRS_GCM, "ARIA", "GCM")
    c = pairs_run(c, _EC4, "ARIA", "GCM")
    c = pairs_run(c, _PSK3, "ARIA", "CBC")
    c = pairs_run(c, _PSK3, "ARIA", "GCM")
    c = pairs_run(c, ("ECDHE_PSK",), "ARIA", "CBC")
    assert c == 0xC072
    # Camellia (RFC 6367): 0xC072-0xC09B
    c = pairs_run(c, _EC4, "CAMELLIA", "CBC")
    c = pairs_run(c, _PAIRS_GCM, "CAMELLIA", "GCM")
    c = pairs_run(c, _EC4, "CAMELLIA", "GCM")
    c = pairs_run(c, _PSK3, "CAMELLIA", "GCM")
    c = pairs_run(c, _PSK3 + ("ECDHE_PSK",), "CAMELLIA", "CBC")
    assert c == 0xC09C
    # SSLv3-era suites outside the TLS registry's TLS_ names
    codes["SSL_FORTEZZA_KEA_WITH_NULL_SHA"] = 0x001C
    codes["SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA"] = 0x001D
    codes["SSL_RSA_FIPS_WITH_DES_CBC_SHA"] = 0xFEFE
    codes["SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA"] = 0xFEFF
    return LuaTable.from_dict(dict(sorted(codes.items(), key=lambda kv: kv[1])))


CIPHERS = _build_ciphers()
_CIPHER_NAMES = _inverse(CIPHERS)

SCSVS = _t({"TLS_EMPTY_RENEGOTIATION_INFO_SCSV": 0x00FF, "TLS_FALLBACK_SCSV": 0x5600})

DEFAULT_TLS12_CIPHERS = LuaTable.from_list(
    [
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_RC4_128_MD5",
    ]
)
DEFAULT_TLS13_CIPHERS = LuaTable.from_list(
    [
        "TLS_AKE_WITH_AES_128_GCM_SHA256",
        "TLS_AKE_WITH_AES_256_GCM_SHA384",
        "TLS_AKE_WITH_CHACHA20_POLY1305_SHA256",
    ]
)
_DEFAULT_CIPHERS = LuaTable.from_list(
    _ipairs(DEFAULT_TLS13_CIPHERS) + _ipairs(DEFAULT_TLS12_CIPHERS)
)


# ------------------------------------------------------------------ key exchange


def _unpack_dhparams(blob: str, pos: Any = None) -> tuple[Any, LuaTable, int]:
    p, g, y, pos = str_unpack(">s2s2s2", blob, pos)
    return pos, _t({"p": p, "g": g, "y": y}), len(p) * 8


def _named_group_info(group: Any) -> tuple[Any, ...]:
    if group is None:
        raise LuaError("attempt to index a nil value (local 'group')")
    if str_match(group, "^arbitrary") is not None:
        return ("ec",)
    r = _mv(str_match(group, "^(%D+)(%d+)"))
    if r[0] is None:
        raise LuaError(f"Invalid named group: {group}")
    ktype, size = r[0], tonumber(r[1])
    if ktype == "ffdhe":
        return "dh", size
    if group in ("ecdh_x25519", "curveSM2"):
        size = 256
    return "ec", size


def _log2_of(s: Any) -> float:
    n = tonumber(s)
    if n is None:
        raise LuaError("bad argument #1 to 'log' (number expected, got string)")
    return math.log2(n)


def _unpack_ecdhparams(blob: str, pos: Any = None) -> tuple[Any, LuaTable, Any]:
    curvetype, pos = str_unpack("B", blob, pos)
    ret = LuaTable()
    strength: Any = None
    if curvetype == 1:
        p, a, b, base, order, cofactor, pos = str_unpack("s1s1s1s1s1s1", blob, pos)
        strength = _log2_of(order)
        ret["curve_params"] = _t(
            {
                "ec_curve_type": "explicit_prime",
                "prime_p": p,
                "curve": _t({"a": a, "b": b}),
                "base": base,
                "order": order,
                "cofactor": cofactor,
            }
        )
    elif curvetype == 2:
        field = LuaTable()
        m, basis, pos = str_unpack(">I2B", blob, pos)
        if basis == 1:
            field["k"], pos = str_unpack("s1", blob, pos)
        elif basis == 2:
            field["k1"], field["k2"], field["k3"], pos = str_unpack("s1s1s1", blob, pos)
        a, b, base, order, cofactor, pos = str_unpack("s1s1s1s1s1", blob, pos)
        strength = _log2_of(order)
        ret["curve_params"] = _t(
            {
                "ec_curve_type": "explicit_char2",
                "m": m,
                "basis": basis,
                "field": field,
                "curve": _t({"a": a, "b": b}),
                "base": base,
                "order": order,
                "cofactor": cofactor,
            }
        )
    elif curvetype == 3:
        curve, pos = str_unpack(">I2", blob, pos)
        name = _inverse(ELLIPTIC_CURVES).get(curve)
        cp = _t({"ec_curve_type": "namedcurve"})
        cp["curve"] = name
        ret["curve_params"] = cp
        info = _named_group_info(name)
        strength = info[1] if len(info) > 1 else None
    ret["public"], pos = str_unpack("s1", blob, pos)
    return pos, ret, strength


def _unpack_signed(blob: str, pos: int, protocol: Any) -> tuple[Any, Any]:
    if pos > len(blob):
        return pos, None
    if protocol is not None and protocol is not False and PROTOCOLS[protocol] >= 0x0303:
        h, s, sig, pos = str_unpack(">BBs2", blob, pos)
    else:
        h = s = None
        sig, pos = str_unpack(">s2", blob, pos)
    t = _t({"signature": sig})
    t["hash_algorithm"] = h
    t["signature_algorithm"] = s
    return pos, t


def rsa_equiv(ktype: Any = None, bits: Any = None, *_: Any) -> Any:
    """The RSA key size of equivalent strength (NIST SP 800-57) for a key type and size."""
    if ktype in ("rsa", "dsa", "dh"):
        return bits
    if ktype == "ec":
        for limit, eq in ((160, 512), (224, 1024), (256, 2048), (384, 3072), (512, 7680)):
            if bits < limit:
                return eq
        return 15360
    return None


def _ske_dh(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    pos, ret["dhparams"], ret["strength"] = _unpack_dhparams(blob)
    return ret


def _ske_ecdh(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    pos, ret["ecdhparams"], ret["strength"] = _unpack_ecdhparams(blob)
    return ret


def _ske_rsa_export(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    rsa = LuaTable()
    ret = _t({"rsa": rsa})
    rsa["modulus"], rsa["exponent"], pos = str_unpack(">s2s2", blob)
    pos, ret["signed"] = _unpack_signed(blob, pos, protocol)
    ret["strength"] = len(rsa["modulus"])
    return ret


def _ske_dhe(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    pos, ret["dhparams"], ret["strength"] = _unpack_dhparams(blob)
    pos, ret["signed"] = _unpack_signed(blob, pos, protocol)
    return ret


def _ske_ecdhe(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    pos, ret["ecdhparams"], ret["strength"] = _unpack_ecdhparams(blob)
    pos, ret["signed"] = _unpack_signed(blob, pos, protocol)
    return ret


def _ske_ecmqv(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    ret["mqvparams"] = str_unpack("s1", blob)[0]
    return ret


def _ske_psk(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    return _t({"psk_identity_hint": str_unpack(">s2", blob)[0]})


def _ske_dhe_psk(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    ret["psk_identity_hint"], pos = str_unpack(">s2", blob)
    pos, ret["dhparams"], ret["strength"] = _unpack_dhparams(blob, pos)
    return ret


def _ske_ecdhe_psk(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    ret = LuaTable()
    ret["psk_identity_hint"], pos = str_unpack(">s2", blob)
    pos, ret["ecdhparams"], ret["strength"] = _unpack_ecdhparams(blob, pos)
    return ret


def _ske_srp(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    srp = LuaTable()
    ret = _t({"srp": srp})
    srp["N"], srp["g"], srp["s"], srp["B"], pos = str_unpack(">s2s2s1s2", blob)
    pos, ret["signed"] = _unpack_signed(blob, pos, protocol)
    ret["strength"] = len(srp["N"])
    return ret


def _ske_ake(blob: Any = None, protocol: Any = None, *_: Any) -> LuaTable:
    group, _pos = str_unpack(">I2", blob)
    _debug(1, "named_group = %d", group)
    name = _inverse(ELLIPTIC_CURVES).get(group)
    info = _named_group_info(name) + (None,)
    cp = _t({"ec_curve_type": "namedcurve"})
    cp["curve"] = name
    ret = _t({"ecdhparams": _t({"curve_params": cp})})
    ret["type"] = info[0]
    ret["strength"] = info[1]
    return ret


def _kex(**fields: Any) -> LuaTable:
    return LuaTable.from_dict(fields)


_dh_anon = _kex(anon=True, type="dh", server_key_exchange=_ske_dh)
_ecdh_anon = _kex(anon=True, type="ec", server_key_exchange=_ske_ecdh)
_rsa = _kex(pubkey="rsa")
_rsa_export = _kex(export=True, pubkey="rsa", type="rsa", server_key_exchange=_ske_rsa_export)
_dhe_psk = _kex(type="dh", pfs=True, server_key_exchange=_ske_dhe_psk)
_psk = _kex(type="psk", server_key_exchange=_ske_psk)
_srp = _kex(type="srp", pfs=True, server_key_exchange=_ske_srp)

#: Key exchange properties by the name before _WITH_ (server_key_exchange parses that
#: message's body for the key exchanges that send one).
KEX_ALGORITHMS = _t(
    {
        "NULL": _kex(anon=True),
        "DH_anon": _dh_anon,
        "DH_anon_EXPORT": _kex(anon=True, export=True, type="dh", server_key_exchange=_ske_dh),
        "ECDH_anon": _ecdh_anon,
        "ECDH_anon_EXPORT": _kex(anon=True, export=True, type="ec", server_key_exchange=_ske_ecdh),
        "RSA": _rsa,
        "RSA_FIPS": _rsa,
        "RSA_EXPORT": _rsa_export,
        "RSA_EXPORT1024": _rsa_export,
        "DHE_RSA": _kex(pubkey="rsa", type="dh", pfs=True, server_key_exchange=_ske_dhe),
        "DHE_RSA_EXPORT": _kex(
            export=True, pubkey="rsa", type="dh", pfs=True, server_key_exchange=_ske_dhe
        ),
        "DHE_DSS": _kex(pubkey="dsa", type="dh", pfs=True, server_key_exchange=_ske_dhe),
        "DHE_DSS_EXPORT": _kex(
            export=True, pubkey="dsa", type="dh", pfs=True, server_key_exchange=_ske_dhe
        ),
        "DH_DSS": _kex(pubkey="dh"),
        "DH_DSS_EXPORT": _kex(export=True, pubkey="dh"),
        "DH_RSA": _kex(pubkey="dh"),
        "DH_RSA_EXPORT": _kex(export=True, pubkey="dh"),
        "ECDHE_RSA": _kex(pubkey="rsa", type="ec", pfs=True, server_key_exchange=_ske_ecdhe),
        "ECDHE_ECDSA": _kex(pubkey="ec", type="ec", pfs=True, server_key_exchange=_ske_ecdhe),
        "ECDH_ECDSA": _kex(pubkey="ec"),
        "ECDH_RSA": _kex(pubkey="ec"),
        "ECDH_ECNRA": _kex(pubkey="ec"),
        "ECMQV_ECDSA": _kex(pubkey="ec", type="ecmqv", server_key_exchange=_ske_ecmqv),
        "ECMQV_ECNRA": _kex(pubkey="ec"),
        "PSK": _psk,
        "RSA_PSK": _kex(pubkey="rsa", type="psk", server_key_exchange=_ske_psk),
        "DHE_PSK": _dhe_psk,
        "PSK_DHE": _dhe_psk,
        "ECDHE_PSK": _kex(type="ec", pfs=True, server_key_exchange=_ske_ecdhe_psk),
        "SRP_SHA": _srp,
        "SRP_SHA_DSS": _kex(pubkey="dsa", type="srp", pfs=True, server_key_exchange=_ske_srp),
        "SRP_SHA_RSA": _kex(pubkey="rsa", type="srp", pfs=True, server_key_exchange=_ske_srp),
        "FORTEZZA_KEA": LuaTable(),
        "GOSTR341001": LuaTable(),
        "GOSTR341094": LuaTable(),
        "KRB5": LuaTable(),
        "KRB5_EXPORT": _kex(export=True),
        "AKE": _kex(tls13ok=True, tls13only=True, pfs=True, server_key_exchange=_ske_ake),
        "ECCPWD": _kex(tls13ok=True, tls13only=False),
    }
)

# block cipher strength (s, bits of security) and block size (b)
_ALGORITHMS: dict[str, dict[str, int]] = {
    "3DES": {"s": 112, "b": 64},
    "CHACHA20": {"s": 256, "b": 128},
    "IDEA": {"s": 128, "b": 64},
    "SEED": {"s": 128, "b": 128},
    "FORTEZZA": {"s": 80, "b": 64},
    "DES": {"s": 56, "b": 64},
    "RC2": {"s": 40, "b": 64},
    "DES40": {"s": 40, "b": 64},
    "NULL": {"s": 0},
    "CAMELLIA": {"b": 128},
    "ARIA": {"b": 128},
    "AES": {"b": 128},
    "SM4": {"s": 128, "b": 128},
}
_cipher_info_cache: dict[str, LuaTable] = {}


def cipher_info(c: Any = None, *_: Any) -> Any:
    """What a cipher suite name says: kex (and the KEX_ALGORITHMS fields), cipher, mode,
    size (key bits, RC4 capped at 80), block_size, hash, draft; nil for a name that is not
    a TLS suite."""
    from nse.lib import tableaux

    cached = _cipher_info_cache.get(c)
    if cached is not None:
        return cached
    tokens = c.split("_")
    if tokens[0] not in ("TLS", "SSL"):
        _debug(2, "cipher_info: Not a TLS ciphersuite: %s", c)
        return None
    i = 1
    while i < len(tokens) and tokens[i] != "WITH":
        i += 1
    kex = "_".join(tokens[1:i])
    base = KEX_ALGORITHMS[kex]
    info = tableaux.tcopy(base) if isinstance(base, LuaTable) else LuaTable()
    info["kex"] = kex
    i += 1  # past WITH (or past the end)
    tok = tokens[i] if i < len(tokens) else None
    info["cipher"] = tok
    if tok == "3DES":
        i += 1  # 3DES_EDE
    alg = _ALGORITHMS.get(tok) if tok is not None else None
    if alg is not None:
        info["size"] = alg.get("s")
        info["block_size"] = alg.get("b")
    if info["size"] is None:
        i += 1
        info["size"] = tonumber(tokens[i]) if i < len(tokens) else None
    if info["cipher"] == "RC4":
        info["mode"] = "stream"
    elif info["cipher"] == "CHACHA20":
        i += 1
        info["cipher"] = "CHACHA20-POLY1305"
        info["mode"] = "stream"
    elif info["cipher"] != "NULL":
        i += 1
        info["mode"] = tokens[i] if i < len(tokens) else None
    export = info["export"] is not None and info["export"] is not False
    if export and i + 1 < len(tokens) and tonumber(tokens[i + 1]) is not None:
        i += 1
        info["size"] = tonumber(tokens[i])
    if info["cipher"] == "RC4":
        size = info["size"]
        info["size"] = min(size if size is not None else 80, 80)
    if info["mode"] == "CCM":
        info["hash"] = "SHA256"
    i += 1
    if i < len(tokens):
        if tokens[i] == "8" and info["mode"] == "CCM":
            info["mode"] = "CCM_8"
            i += 1
        elif export and str_match(tokens[i], "^%d+$") is not None:
            info["size"] = tonumber(tokens[i])
            i += 1
        if i < len(tokens):
            r = _mv(str_match(tokens[i], "(.+)%-([a-z]+)"))
            h = r[0]
            if h is not None:
                if r[1] == "draft":
                    info["draft"] = True
            else:
                h = tokens[i]
            info["hash"] = h
    _cipher_info_cache[c] = info
    return info


# ------------------------------------------------------------------ parsing


def _hs_server_hello(
    buffer: Any = None, j: Any = None, msg_end: Any = None, protocol: Any = None, *_: Any
) -> tuple[Any, Any]:
    b = LuaTable()
    b["protocol"], b["time"], b["random"], b["session_id"], j = str_unpack(
        ">I2 I4 c28 s1", buffer, j
    )
    b["cipher"], b["compressor"], j = str_unpack(">I2 B", buffer, j)
    if j < msg_end and protocol != "SSLv3":
        exts = LuaTable()
        b["extensions"] = exts
        num, j = str_unpack(">I2", buffer, j)
        ext_names = _inverse(EXTENSIONS)
        for _e in range(num + 1):  # nselib counts bytes as if they were extensions
            if j >= msg_end:
                break
            code, j = str_unpack(">I2", buffer, j)
            key = ext_names.get(code, code)
            exts[key], j = str_unpack(">s2", buffer, j)
    b["protocol"] = _inverse(PROTOCOLS).get(b["protocol"])
    b["cipher"] = _CIPHER_NAMES.get(b["cipher"])
    b["compressor"] = _inverse(COMPRESSORS).get(b["compressor"])
    if b["protocol"] == "TLSv1.2" and b["random"] == _HELLO_RETRY_RANDOM:
        b["helloretry"] = True
    exts = b["extensions"]
    if (
        b["protocol"] == "TLSv1.2"
        and isinstance(exts, LuaTable)
        and exts["supported_versions"] == "\x03\x04"
    ):
        b["protocol"] = "TLSv1.3"
    return b, j


# RFC 8446 §4.1.3: the ServerHello.random of a HelloRetryRequest (SHA-256 of
# "HelloRetryRequest")
_HELLO_RETRY_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
).decode("latin-1")


def _hs_certificate(
    buffer: Any = None, j: Any = None, msg_end: Any = None, protocol: Any = None, *_: Any
) -> tuple[Any, Any]:
    cert_end, j = str_unpack(">I3", buffer, j)
    cert_end += j
    if cert_end > msg_end:
        _debug(2, "server_certificate length > handshake body length!")
    certs = LuaTable()
    b = _t({"certificates": certs})
    while j < cert_end:
        cert_len = str_unpack(">I3", buffer, j)[0]
        if cert_len + 3 + j > cert_end:
            _debug(1, "server_certificate parsing error!")
            j = cert_end
            break
        cert, j = str_unpack(">s3", buffer, j)
        certs.append(cert)
    return b, j


def _hs_new_session_ticket(
    buffer: Any = None, j: Any = None, msg_end: Any = None, protocol: Any = None, *_: Any
) -> tuple[Any, ...]:
    if len(buffer) - j + 1 < 4:
        return None, j, 4
    b = LuaTable()
    b["ticket_lifetime_hint"], b["ticket"], j = str_unpack(">I4 s2", buffer, j)
    return b, j


handshake_parse = _t(
    {
        "server_hello": _hs_server_hello,
        "certificate": _hs_certificate,
        "NewSessionTicket": _hs_new_session_ticket,
    }
)


def _msg_alert(buffer: Any = None, j: Any = None, *_: Any) -> tuple[Any, Any]:
    b = LuaTable()
    level, desc, j = str_unpack("BB", buffer, j)
    b["level"] = _inverse(TLS_ALERT_LEVELS).get(level)
    b["description"] = _inverse(TLS_ALERT_REGISTRY).get(desc)
    return b, j


def _msg_handshake(buffer: Any = None, j: Any = None, protocol: Any = None, *_: Any) -> Any:
    from nse.lua.ops import call

    have = len(buffer) - j + 1
    if have < 4:
        return None, j, 4
    btype, length, j = str_unpack("B>I3", buffer, j)
    msg_end = length + j
    name = _inverse(TLS_HANDSHAKETYPE_REGISTRY).get(btype)
    if have < length + 4:
        return None, j - 4, length + 4
    parser = handshake_parse[name] if name is not None else None
    if parser is not None:
        r = _mv(call(parser, buffer, j, msg_end, protocol))
        b, j = r[0], r[1] if len(r) > 1 else None
        if b is None:
            raise LuaError("attempt to index a nil value (local 'b')")
        b["type"] = name
    else:
        b = LuaTable()
        b["type"] = name
        _debug(2, "Unknown handshake message type: %s", tostring(name))
        b["data"], j = str_unpack("c" + tostring(msg_end - j), buffer, j)
    return b, j


def _msg_heartbeat(buffer: Any = None, j: Any = None, *_: Any) -> tuple[Any, Any]:
    b = LuaTable()
    b["type"], b["payload"], j = str_unpack(">B s2", buffer, j)
    b["padding"] = buffer[j - 1 :]
    return b, len(buffer) + 1


message_parse = _t({"alert": _msg_alert, "handshake": _msg_handshake, "heartbeat": _msg_heartbeat})


def parse_messages(mbuffer: Any = None, mi: Any = None, h: Any = None, *_: Any) -> Any:
    """The messages of one record's payload: messages table, position after them."""
    from nse.lua.ops import call

    messages = LuaTable()
    while mi < len(mbuffer):
        parser = message_parse[h["type"]]
        if parser is None:
            _debug(1, "Unknown message type: %s", tostring(h["type"]))
            break
        r = _mv(call(parser, mbuffer, mi, h["protocol"])) + (None, None)
        b, mi, need = r[0], r[1], r[2]
        if b is not None and b is not False:
            messages.append(b)
        elif need is not None and need is not False:
            break
    return messages, mi


def record_read(buffer: Any = None, i: Any = None, fragment: Any = None, *_: Any) -> Any:
    """Parse the record at ``i``: next position, record table (nil when incomplete or
    unknown), and whether the data looked like TLS."""
    i = 1 if i is None else i
    if len(buffer) - i < TLS_RECORD_HEADER_LENGTH:
        return i, None, True
    typ, proto, rlength, j = str_unpack(">B I2 I2", buffer, i)
    h = _t({"length": rlength})
    name = _inverse(TLS_CONTENTTYPE_REGISTRY).get(typ)
    if name is None:
        _debug(1, "Unknown TLS ContentType: %d", typ)
        return j, None, False
    h["type"] = name
    pname = _inverse(PROTOCOLS).get(proto)
    if pname is None:
        _debug(1, "Unknown TLS Protocol: 0x%04x", proto)
        return j, None, False
    h["protocol"] = pname
    if len(buffer) < j + rlength - 1:
        return i, None, True
    # buffer:sub(j, j + rlength): one byte past the record, as nselib
    mbuffer = (fragment if fragment is not None else "") + buffer[j - 1 : j + rlength]
    body, mi = parse_messages(mbuffer, 1, h)
    h["body"] = body
    if mi < len(mbuffer):
        h["fragment"] = mbuffer[mi - 1 :]
    return j + rlength, h, True


def _legacy_version(v: int) -> int:
    return v if v <= 0x0303 else 0x0303


def record_version_ok(received_version: Any = None, proto_version: Any = None, *_: Any) -> bool:
    """Whether a record's version is right for the negotiated protocol (TLS 1.3 records
    say TLSv1.2)."""
    if proto_version == "TLSv1.3":
        return received_version == "TLSv1.2"
    return proto_version == received_version


def record_write(type: Any = None, protocol: Any = None, b: Any = None, *_: Any) -> str:  # noqa: A002
    """A record of content ``type`` and version ``protocol`` (capped at TLS 1.2) holding ``b``."""
    v = PROTOCOLS[protocol]
    if v is None:
        raise LuaError("attempt to compare nil with number")
    return (
        str_pack("B", TLS_CONTENTTYPE_REGISTRY[type])
        + str_pack(">I2", _legacy_version(v))
        + str_pack(">s2", b)
    )


_DEFAULT_SIGALGS = _ext_signature_algorithms(
    LuaTable.from_list(
        [
            LuaTable.from_list(p)
            for p in (
                ("md5", "rsa"),
                ("sha1", "rsa"),
                ("sha224", "rsa"),
                ("sha256", "rsa"),
                ("sha256", "dsa"),
                ("sha256", "ecdsa"),
                ("sha256", "ed25519"),
                ("sha256", "ed448"),
                ("sha512", "rsa"),
                ("sha512", "dsa"),
                ("sha512", "ecdsa"),
                ("sha512", "ed25519"),
                ("sha512", "ed448"),
            )
        ]
    )
)
_DEFAULT_SIGSCHEMES = _ext_signature_algorithms_13(
    LuaTable.from_list(
        [
            "rsa_pkcs1_sha256",
            "rsa_pkcs1_sha512",
            "ecdsa_secp256r1_sha256",
            "ecdsa_secp521r1_sha512",
            "rsa_pss_rsae_sha256",
            "rsa_pss_rsae_sha512",
            "ed25519",
            "ed448",
            "rsa_pss_pss_sha256",
            "rsa_pss_pss_sha512",
            "rsa_pkcs1_sha1",
            "ecdsa_sha1",
        ]
    )
)


def _now() -> int:
    return int(time.time())


def _random_bytes(n: int) -> str:
    return os.urandom(n).decode("latin-1")


def client_hello(t: Any = None, *_: Any) -> str:
    """A ClientHello record.  ``t``: protocol (default TLSv1.3), record_protocol,
    session_id, ciphers (names or numbers), compressors, extensions (name or number ->
    already-encoded data; EXTENSION_HELPERS build the data).  Extensions the protocol needs
    and ``t`` lacks are added as nselib adds them (supported_versions, signature_algorithms,
    key_share, elliptic_curves)."""
    t = t if isinstance(t, LuaTable) else LuaTable()
    protocol = t["protocol"] if t["protocol"] is not None else HIGHEST_PROTOCOL
    pv = PROTOCOLS[protocol]
    if pv is None:
        raise LuaError("attempt to compare nil with number")
    parts = [str_pack(">I2 I4", _legacy_version(pv), _now()), _random_bytes(28)]
    sid = t["session_id"] if t["session_id"] is not None else ""
    parts.append(str_pack(">s1", sid))
    record_proto = t["record_protocol"]
    eccpwd = shangmi = False
    if t["ciphers"] is not None and t["ciphers"] is not False:
        cl = t["ciphers"]
    elif record_proto == "TLSv1.3":
        cl = DEFAULT_TLS13_CIPHERS
    elif pv < 0x0304:
        cl = DEFAULT_TLS12_CIPHERS
    else:
        cl = _DEFAULT_CIPHERS
    ciphers = []
    for _k, cipher in cl.items():
        if isinstance(cipher, str):
            if str_match(cipher, "^TLS_ECCPWD_") is not None:
                eccpwd = True
            elif protocol == "TLSv1.3" and str_match(cipher, "_SM3$") is not None:
                shangmi = True
            cipher = _or(CIPHERS[cipher], SCSVS[cipher])
        if (
            isinstance(cipher, int | float)
            and not isinstance(cipher, bool)
            and 0 <= cipher <= 0xFFFF
        ):
            ciphers.append(str_pack(">I2", cipher))
        else:
            _debug(1, "Unknown cipher in client_hello: %s", tostring(cipher))
    del eccpwd  # nselib computes it and does not use it
    parts.append(str_pack(">s2", "".join(ciphers)))
    comps = []
    if t["compressors"] is not None:
        for _k, comp in t["compressors"].items():
            if comp != "NULL":
                comps.append(str_pack("B", COMPRESSORS[comp]))
    comps.append(str_pack("B", 0))
    parts.append(str_pack("s1", "".join(comps)))
    if protocol != "SSLv3":
        exts: list[str] = []
        need_sv = need_ks = need_ec = pv >= 0x0304
        need_sig = pv >= 0x0303
        sm2sig = str_pack(">I2", SignatureSchemes["sm2sig_sm3"])
        if t["extensions"] is not None and t["extensions"] is not False:
            for ext, data in t["extensions"].items():
                if isinstance(ext, int | float) and not isinstance(ext, bool):
                    exts.append(str_pack(">I2", ext))
                else:
                    if ext in ("signature_algorithms", "signature_algorithms_13"):
                        need_sig = False
                        if shangmi and str_match(data, "^..(..)*" + sm2sig) is None:
                            data = str_pack(">s2", data[2:] + sm2sig)
                    elif ext == "supported_versions":
                        need_sv = False
                    elif ext == "key_share":
                        need_ks = False
                    elif ext == "elliptic_curves":
                        need_ec = False
                        sm2 = str_pack(">I2", ELLIPTIC_CURVES["curveSM2"])
                        if shangmi and str_match(data, "^..(..)*" + sm2) is None:
                            data = str_pack(">s2", data[2:] + sm2)
                    exts.append(str_pack(">I2", EXTENSIONS[ext]))
                exts.append(str_pack(">s2", data))
        if need_sv:
            exts.append(str_pack(">I2", 43))
            exts.append(
                str_pack(
                    ">s2",
                    _ext_supported_versions(
                        LuaTable.from_list(["TLSv1.2", "TLSv1.1", "TLSv1.3", "SSLv3"])
                    ),
                )
            )
        if need_sig:
            exts.append(str_pack(">I2", 13))
            data = _DEFAULT_SIGSCHEMES if pv >= 0x0304 else _DEFAULT_SIGALGS
            if shangmi:
                data = str_pack(">s2", data[2:] + sm2sig)
            exts.append(str_pack(">s2", data))
        if need_ks:
            exts.append(str_pack(">I2", 51))
            exts.append(str_pack(">s2", "\0\0"))
        if need_ec:
            curves = _ipairs(DEFAULT_ELLIPTIC_CURVES) + (["curveSM2"] if shangmi else [])
            exts.append(str_pack(">I2", 10))
            exts.append(str_pack(">s2", _ext_elliptic_curves(LuaTable.from_list(curves))))
        if exts:
            parts.append(str_pack(">s2", "".join(exts)))
    body = "".join(parts)
    hs = str_pack("B", 1) + str_pack(">s3", body)
    if record_proto is None or record_proto is False:
        record_proto = "SSLv3" if t["protocol"] == "SSLv3" else "TLSv1.0"
    elif record_proto == "TLSv1.3":
        record_proto = "TLSv1.2"
    return record_write("handshake", record_proto, hs)


# ------------------------------------------------------------------ socket helpers


def _read_atleast(s: Any, n: int) -> tuple[Any, ...]:
    buf: list[str] = []
    count = 0
    while count < n:
        r = _mv(s.receive_bytes(n - count)) + (None,)
        status, data = r[0], r[1]
        if not status:
            return status, data, "".join(buf)
        buf.append(data)
        count += len(data)
    return True, "".join(buf)


def record_buffer(sock: Any = None, buffer: Any = None, i: Any = None, *_: Any) -> Any:
    """Read from ``sock`` until ``buffer`` holds the whole record at ``i``: true, buffer |
    false, buffer, error."""
    buffer = buffer if buffer is not None else ""
    i = 1 if i is None else i
    count = len(buffer[i - 1 :]) if i >= 1 else len(buffer)
    if count < TLS_RECORD_HEADER_LENGTH:
        r = _read_atleast(sock, TLS_RECORD_HEADER_LENGTH - count)
        if not r[0]:
            return False, buffer + (r[2] if len(r) > 2 else ""), r[1]
        buffer = buffer + r[1]
        count += len(r[1])
    ctype, pversion, length, _p = str_unpack(">BI2I2", buffer, i)
    if (
        _inverse(PROTOCOLS).get(pversion) is None
        or _inverse(TLS_CONTENTTYPE_REGISTRY).get(ctype) is None
    ):
        return False, buffer, "Unknown TLS protocol version or content type"
    if count < TLS_RECORD_HEADER_LENGTH + length:
        r = _read_atleast(sock, TLS_RECORD_HEADER_LENGTH + length - count)
        if not r[0]:
            return False, buffer, r[1]
        buffer = buffer + r[1]
    return True, buffer


def servername(host: Any = None, *_: Any) -> Any:
    """The SNI name: script-arg ``tls.servername``, else host.targetname."""
    from nse.lib import stdnse

    arg = stdnse.script_arg("tls.servername")
    if arg is not None and arg is not False:
        return arg
    if isinstance(host, LuaTable):
        return host["targetname"]
    return ()
