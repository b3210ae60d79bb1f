"""X.509 certificates as nmap's certificate table (nse_ssl_cert.cc), parsed with
``cryptography``.

Fields: ``subject``/``issuer`` (attribute long names as OpenSSL spells them, e.g.
``commonName``; an attribute OpenSSL does not name is keyed by a table of its OID
numbers), ``pubkey`` (``type``, ``bits``, RSA ``modulus``/``exponent`` as openssl
bignums, EC ``ecdhparams.curve_params``), ``version``, ``serial``, ``sig_algorithm``,
``validity.notBefore``/``notAfter`` (date tables: year, month, day, hour, min, sec),
``extensions`` (``name``, ``value``, ``critical``; values printed as OpenSSL prints the
common extensions), ``pem`` and the method ``cert:digest(name)``.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dh, dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtensionOID, NameOID

from nse.lib._util import from_bytes as _s
from nse.lua.luatable import LuaTable

__all__ = ["cert_table", "parse_der"]

# OpenSSL long names (OBJ_nid2ln) for the attributes certificates use.
_LONG_NAMES = {
    NameOID.COMMON_NAME: "commonName",
    NameOID.COUNTRY_NAME: "countryName",
    NameOID.LOCALITY_NAME: "localityName",
    NameOID.STATE_OR_PROVINCE_NAME: "stateOrProvinceName",
    NameOID.STREET_ADDRESS: "streetAddress",
    NameOID.ORGANIZATION_NAME: "organizationName",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "organizationalUnitName",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.SURNAME: "surname",
    NameOID.GIVEN_NAME: "givenName",
    NameOID.TITLE: "title",
    NameOID.GENERATION_QUALIFIER: "generationQualifier",
    NameOID.X500_UNIQUE_IDENTIFIER: "x500UniqueIdentifier",
    NameOID.DN_QUALIFIER: "dnQualifier",
    NameOID.PSEUDONYM: "pseudonym",
    NameOID.USER_ID: "userId",
    NameOID.DOMAIN_COMPONENT: "domainComponent",
    NameOID.EMAIL_ADDRESS: "emailAddress",
    NameOID.JURISDICTION_COUNTRY_NAME: "jurisdictionCountryName",
    NameOID.JURISDICTION_LOCALITY_NAME: "jurisdictionLocalityName",
    NameOID.JURISDICTION_STATE_OR_PROVINCE_NAME: "jurisdictionStateOrProvinceName",
    NameOID.BUSINESS_CATEGORY: "businessCategory",
    NameOID.POSTAL_ADDRESS: "postalAddress",
    NameOID.POSTAL_CODE: "postalCode",
}

_EXT_NAMES = {
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME: "X509v3 Subject Alternative Name",
    ExtensionOID.ISSUER_ALTERNATIVE_NAME: "X509v3 Issuer Alternative Name",
    ExtensionOID.BASIC_CONSTRAINTS: "X509v3 Basic Constraints",
    ExtensionOID.KEY_USAGE: "X509v3 Key Usage",
    ExtensionOID.EXTENDED_KEY_USAGE: "X509v3 Extended Key Usage",
    ExtensionOID.SUBJECT_KEY_IDENTIFIER: "X509v3 Subject Key Identifier",
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: "X509v3 Authority Key Identifier",
    ExtensionOID.CRL_DISTRIBUTION_POINTS: "X509v3 CRL Distribution Points",
    ExtensionOID.CERTIFICATE_POLICIES: "X509v3 Certificate Policies",
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: "Authority Information Access",
}

_CURVES = {"secp256r1": "prime256v1", "secp192r1": "prime192v1"}


def _name_table(name: x509.Name) -> LuaTable:
    t = LuaTable()
    for attr in name:
        key: Any = _LONG_NAMES.get(attr.oid)
        if key is None:
            key = LuaTable.from_list([int(x) for x in attr.oid.dotted_string.split(".")])
        v = attr.value
        t[key] = _s(v) if isinstance(v, bytes) else v.encode("utf-8").decode("latin-1")
    return t


def _date(d: Any) -> LuaTable:
    return LuaTable.from_dict(
        {
            "year": d.year,
            "month": d.month,
            "day": d.day,
            "hour": d.hour,
            "min": d.minute,
            "sec": d.second,
        }
    )


def _bignum(n: int) -> Any:
    try:
        from nse.lib import openssl

        return openssl.bignum_bin2bn(_s(n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")))
    except ImportError:  # pragma: no cover
        return n


def _general_name(g: Any) -> str:
    if isinstance(g, x509.DNSName):
        return "DNS:" + g.value
    if isinstance(g, x509.IPAddress):
        ip = g.value
        text = (
            str(ip)
            if not isinstance(ip, ipaddress.IPv6Address)
            else ":".join(f"{int(h, 16):X}" for h in ip.exploded.split(":"))
        )
        return "IP Address:" + text
    if isinstance(g, x509.RFC822Name):
        return "email:" + g.value
    if isinstance(g, x509.UniformResourceIdentifier):
        return "URI:" + g.value
    if isinstance(g, x509.DirectoryName):
        return "DirName:" + g.value.rfc4514_string()
    return "othername:<unsupported>"


def _hexcolon(b: bytes) -> str:
    return ":".join(f"{x:02X}" for x in b)


def _ext_value(ext: x509.Extension[Any]) -> str:
    v = ext.value
    if isinstance(v, x509.SubjectAlternativeName | x509.IssuerAlternativeName):
        return ", ".join(_general_name(g) for g in v)
    if isinstance(v, x509.BasicConstraints):
        s = "CA:" + ("TRUE" if v.ca else "FALSE")
        if v.path_length is not None:
            s += f", pathlen:{v.path_length}"
        return s
    if isinstance(v, x509.KeyUsage):
        names = [
            ("digital_signature", "Digital Signature"),
            ("content_commitment", "Non Repudiation"),
            ("key_encipherment", "Key Encipherment"),
            ("data_encipherment", "Data Encipherment"),
            ("key_agreement", "Key Agreement"),
            ("key_cert_sign", "Certificate Sign"),
            ("crl_sign", "CRL Sign"),
        ]
        out = [label for attr, label in names if getattr(v, attr)]
        if v.key_agreement:
            if v.encipher_only:
                out.append("Encipher Only")
            if v.decipher_only:
                out.append("Decipher Only")
        return ", ".join(out)
    if isinstance(v, x509.ExtendedKeyUsage):
        labels = {
            "serverAuth": "TLS Web Server Authentication",
            "clientAuth": "TLS Web Client Authentication",
            "codeSigning": "Code Signing",
            "emailProtection": "E-mail Protection",
            "timeStamping": "Time Stamping",
            "OCSPSigning": "OCSP Signing",
        }
        return ", ".join(labels.get(o._name, o._name) for o in v)
    if isinstance(v, x509.SubjectKeyIdentifier):
        return _hexcolon(v.digest)
    if isinstance(v, x509.AuthorityKeyIdentifier):
        return _hexcolon(v.key_identifier) if v.key_identifier else ""
    return ""


def _pubkey(key: Any) -> LuaTable:
    t = LuaTable()
    if isinstance(key, rsa.RSAPublicKey):
        nums = key.public_numbers()
        t["type"] = "rsa"
        t["bits"] = key.key_size
        t["modulus"] = _bignum(nums.n)
        t["exponent"] = _bignum(nums.e)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        t["type"] = "ec"
        t["bits"] = key.curve.key_size
        name = _CURVES.get(key.curve.name, key.curve.name)
        t["ecdhparams"] = LuaTable.from_dict(
            {"curve_params": LuaTable.from_dict({"ec_curve_type": "namedcurve", "curve": name})}
        )
    elif isinstance(key, dsa.DSAPublicKey):
        t["type"] = "dsa"
        t["bits"] = key.key_size
    elif isinstance(key, dh.DHPublicKey):
        t["type"] = "dh"
        t["bits"] = key.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey):
        t["type"] = "ED25519"
        t["bits"] = 253
    elif isinstance(key, ed448.Ed448PublicKey):
        t["type"] = "ED448"
        t["bits"] = 456
    else:
        t["type"] = "unknown"
        t["bits"] = 0
    return t


def parse_der(der: bytes) -> x509.Certificate:
    """The certificate object for DER bytes."""
    return x509.load_der_x509_certificate(der)


def cert_table(der: bytes) -> LuaTable:
    """nmap's certificate table for DER bytes."""
    cert = parse_der(der)
    t = LuaTable()
    t["subject"] = _name_table(cert.subject)
    t["issuer"] = _name_table(cert.issuer)
    t["version"] = cert.version.value
    t["serial"] = format(cert.serial_number, "X")
    try:
        t["pubkey"] = _pubkey(cert.public_key())
    except (ValueError, TypeError):
        t["pubkey"] = LuaTable.from_dict({"type": "unknown", "bits": 0})
    oid = cert.signature_algorithm_oid
    t["sig_algorithm"] = getattr(oid, "_name", oid.dotted_string)
    t["validity"] = LuaTable.from_dict(
        {"notBefore": _date(cert.not_valid_before_utc), "notAfter": _date(cert.not_valid_after_utc)}
    )
    exts = LuaTable()
    try:
        for ext in cert.extensions:
            e = LuaTable()
            e["name"] = _EXT_NAMES.get(ext.oid, ext.oid.dotted_string)
            e["value"] = _ext_value(ext)
            if ext.critical:
                e["critical"] = True
            exts.append(e)
    except ValueError:
        pass
    t["extensions"] = exts
    t["pem"] = cert.public_bytes(serialization.Encoding.PEM).decode("latin-1")

    def digest(self: Any = None, name: Any = None, *_: Any) -> Any:
        try:
            return _s(hashlib.new(str(name).lower().replace("-", ""), der).digest())
        except ValueError:
            return None

    t["digest"] = digest
    return t
