"""datetime: compared with nmap's datetime.lua under lua5.4 (same process environment,
so the same time zone on both sides)."""

from __future__ import annotations

from libref import compare, needs_nselib

from nse.lib import datetime


@needs_nselib
def test_format_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [("utc_offset", [])]
    for t in [
        0,
        1,
        86399.9,
        1700000000,
        -1,
        -86400 * 400,
        2**32,
        2**40,
        2**55,
        2**60,
        2**62,
        -(2**60),
        1.5,
        "12",
        float("inf"),
        float("nan"),
    ]:
        calls.append(("format_timestamp", [t]))
        for off in (3600, -5400, 0, 19800.5):
            calls.append(("format_timestamp", [t, off]))
    calls += [
        ("format_timestamp", [{"year": 2020, "month": 1, "day": 2, "hour": 3, "min": 4, "sec": 5}]),
        ("format_timestamp", [{"year": 2020, "month": 1, "day": 2}]),
        (
            "format_timestamp",
            [{"year": 2020.5, "month": 1, "day": 2, "hour": 3, "min": 4, "sec": 5}],
        ),
    ]
    for iv in [0, 1, 59, 60, 61, 3599, 3600, 86399, 86400, 90061, 1e9, -61, 0.5, 59.6, 123456789]:
        calls.append(("format_time", [iv]))
        calls.append(("format_time", [iv, 1000]))
        calls.append(("format_time", [iv, 100]))
    calls.append(("format_time", [5, 0.1]))
    compare("datetime", datetime, calls)


@needs_nselib
def test_tables_vs_nmap() -> None:
    d = {"year": 2021, "month": 3, "day": 4, "hour": 5, "min": 6, "sec": 7}
    calls: list[tuple[str, list[object]]] = [
        ("date_to_timestamp", [d]),
        ("date_to_timestamp", [d, 3600]),
        ("date_to_timestamp", [{"year": 2021, "month": 14, "day": 40}]),
        ("date_to_timestamp", [{"year": 2021, "month": 1}]),
        ("date_to_timestamp", [{"year": 2021, "month": 1, "day": 1.5}]),
        ("date_to_timestamp", [{"year": 2**40, "month": 1, "day": 1}]),
        ("date_to_timestamp", [{"year": "2000", "month": "2", "day": "3"}]),
    ]
    pairs = [
        ({"year": 2021, "month": 3, "day": 4}, {"year": 2020, "month": 3, "day": 4}),
        ({"year": 2021, "month": 3, "day": 4}, {"year": 2020, "month": 5, "day": 4}),
        ({"year": 2020, "month": 3, "day": 4}, {"year": 2021, "month": 5, "day": 4, "hour": 1}),
        ({"year": 2020, "month": 3, "day": 4}, {"year": 2020, "month": 3, "day": 4}),
        ({"year": 2020, "month": 3, "day": 4, "sec": 30}, {"year": 2020, "month": 3, "day": 4}),
        ({"year": 2030, "month": 1, "day": 1}, {"year": 1999, "month": 12, "day": 31, "sec": 1}),
    ]
    calls += [("format_difftime", [a, b]) for a, b in pairs]
    compare("datetime", datetime, calls)


def test_literals() -> None:
    assert datetime.format_time(90061) == "1d01h01m01s"
    assert datetime.format_time(1500, 1000) == "1.500s"
    assert datetime.format_timestamp(0, 0) == "1970-01-01T00:00:00+00:00"


@needs_nselib
def test_record_skew_vs_nmap() -> None:
    from typing import Any

    from nse.lua.luatable import LuaTable

    prelude = """
M.t_skew = function(srtt)
  local host = {registry = {}, times = srtt and {srtt = srtt} or nil}
  M.record_skew(host, 1000.7, 990.2)
  M.record_skew(host, 5, 10)
  return host.registry.datetime_skew
end
"""

    def t_skew(srtt: Any = None, *_: Any) -> Any:
        host = LuaTable.from_dict({"registry": LuaTable()})
        if srtt is not None:
            host["times"] = LuaTable.from_dict({"srtt": srtt})
        datetime.record_skew(host, 1000.7, 990.2)
        datetime.record_skew(host, 5, 10)
        return host["registry"]["datetime_skew"]

    datetime.t_skew = t_skew  # type: ignore[attr-defined]
    datetime.__all__.append("t_skew")
    try:
        compare(
            "datetime", datetime, [("t_skew", [None]), ("t_skew", [0.5]), ("t_skew", [3])], prelude
        )
    finally:
        datetime.__all__.remove("t_skew")
        del datetime.t_skew  # type: ignore[attr-defined]
