"""Host.ports as a PortTable: the compact store behaves as the plain dict of Port objects
it replaces, for every reader (dict API, the report's counts, normal output)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import random
from collections import Counter

import pytest

from nse.output.normal import IGNORE_THRESHOLD, format_host
from nse.scan.model import Host, Port, PortTable, Times

NAMES = {22: "ssh", 80: "http", 443: "https", 53: "domain"}
KINDS = [("closed", "reset", 64), ("closed", "reset", 63), ("open", "syn-ack", 64),
         ("filtered", "no-response", 0), ("filtered", "host-unreach", 64),
         ("closed", "port-unreach", 64), ("open|filtered", "no-response", 0)]


def _results(seed: int, n: int, weights: list[int]) -> list[tuple[int, tuple[str, str, int]]]:
    rng = random.Random(seed)
    numbers = rng.sample(range(1, 65536), n)
    return [(p, rng.choices(KINDS, weights)[0]) for p in numbers]


def _pair(results: list[tuple[int, tuple[str, str, int]]], proto: str = "tcp"
          ) -> tuple[PortTable, dict[tuple[str, int], Port]]:
    """The same results in a PortTable (stored compactly, in batches as the driver does)
    and in a plain dict of Port objects (what Host.ports was)."""
    table = PortTable()
    for i in range(0, len(results), 7):
        table.set_many(proto, results[i:i + 7], NAMES)
    plain = {(proto, p): Port(p, proto, s, r, t, NAMES.get(p, "unknown"))
             for p, (s, r, t) in results}
    return table, plain


def test_lookup_makes_one_lasting_object() -> None:
    table, plain = _pair([(22, ("open", "syn-ack", 64)), (23, ("closed", "reset", 64))])
    assert len(table) == 2 and dict.__len__(table) == 0  # nothing made yet
    p = table[("tcp", 22)]
    assert p == plain[("tcp", 22)] and p.service == "ssh"
    assert table[("tcp", 22)] is p  # the same object on every read
    p.version["product"] = "OpenSSH"
    assert table[("tcp", 22)].version == {"product": "OpenSSH"}
    assert ("tcp", 23) in table and ("tcp", 24) not in table and ("udp", 23) not in table
    assert ("tcp", 99999) not in table and "x" not in table and ("tcp", "22") not in table
    assert table.get(("tcp", 24)) is None and table.get(("tcp", 23)) == plain[("tcp", 23)]
    with pytest.raises(KeyError):
        table[("tcp", 24)]
    assert len(table) == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_whole_table_reads_equal_the_plain_dict(seed: int) -> None:
    table, plain = _pair(_results(seed, 3000, [50, 5, 3, 10, 2, 1, 1]))
    assert len(table) == len(plain)
    assert table == plain and plain == table and not (table != plain)
    assert dict(table) == plain and {**table} == plain
    assert sorted(table) == sorted(plain)
    assert sorted(table.keys()) == sorted(plain.keys())
    assert {k: v for k, v in table.items()} == plain
    assert len(list(table.values())) == len(plain)
    assert isinstance(table, dict)


def test_copies_pickles_and_dataclass_helpers_keep_every_port() -> None:
    table, plain = _pair(_results(4, 500, [10, 1, 1, 3, 1, 1, 1]))
    h = Host(ip="10.0.0.1", ports=table)
    assert pickle.loads(pickle.dumps(table)) == plain
    assert copy.copy(table) == plain and copy.deepcopy(table) == plain
    table2, _ = _pair(_results(4, 500, [10, 1, 1, 3, 1, 1, 1]))
    assert dataclasses.asdict(Host(ip="10.0.0.1", ports=table2))["ports"] == plain
    assert table.copy() == plain and (table | {}) == plain
    assert h.ports == plain


def test_writes_replace_and_delete_like_a_dict() -> None:
    table, _ = _pair([(80, ("closed", "reset", 64)), (81, ("closed", "reset", 64))])
    obj = table[("tcp", 80)]
    # a later result replaces an object already made, and a compact entry
    table.set_many("tcp", [(80, ("open", "syn-ack", 64)), (81, ("filtered", "no-response", 0))],
                   NAMES)
    assert table[("tcp", 80)] is not obj and table[("tcp", 80)].state == "open"
    assert table[("tcp", 81)].state == "filtered" and len(table) == 2
    table[("tcp", 82)] = Port(82, "tcp", "open")
    table.set_state("tcp", 83, "closed", "reset", 64, NAMES)
    assert len(table) == 4
    del table[("tcp", 83)]
    assert ("tcp", 83) not in table and len(table) == 3
    assert table.pop(("tcp", 81)).state == "filtered"
    assert table.pop(("tcp", 81), None) is None
    assert table.setdefault(("tcp", 84), Port(84, "tcp")).number == 84
    table.update({("udp", 53): Port(53, "udp", "open")})
    assert sorted(table) == [("tcp", 80), ("tcp", 82), ("tcp", 84), ("udp", 53)]
    table.clear()
    assert len(table) == 0 and not table


def test_more_kinds_than_codes_fall_back_to_objects() -> None:
    results = [(n, ("closed", "reset", n % 256)) for n in range(1, 1001)]
    table, plain = _pair(results)
    assert len(table) == 1000 and table == plain


@pytest.mark.parametrize("seed", [5, 6])
def test_counts_and_select_equal_counting_the_objects(seed: int) -> None:
    results = _results(seed, 2000, [40, 3, 2, 10, 1, 2, 1])
    table, plain = _pair(results)
    table.set_many("udp", [(53, ("open", "udp-response", 64)), (67, KINDS[-1])], NAMES)
    plain[("udp", 53)] = Port(53, "udp", "open", "udp-response", 64, "domain")
    plain[("udp", 67)] = Port(67, "udp", "open|filtered", "no-response", 0)
    want: dict[tuple[str, str, str], list[int]] = {}
    for p in plain.values():
        c = want.setdefault((p.protocol, p.state, p.reason), [0, 65536])
        c[0] += 1
        c[1] = min(c[1], p.number)
    table[("tcp", results[0][0])]  # one made object, the rest compact
    assert table.counts() == want
    keep = {("tcp", "open"), ("tcp", "filtered"), ("udp", "open|filtered")}
    got = table.select(lambda proto, state: (proto, state) in keep)
    assert got == sorted((p for p in plain.values() if (p.protocol, p.state) in keep),
                         key=lambda p: (p.protocol != "tcp", p.number))
    h = Host(ip="10.0.0.1", ports=table)
    assert h.state_counts() == Counter(p.state for p in plain.values())
    assert h.port_list() == Host(ip="10.0.0.1", ports=plain).port_list()


def _old_not_shown(h: Host) -> str:
    """The "Not shown" line as nmap's rules give it, counted over every Port object (the
    formatting of format_host before the compact table)."""
    ports = h.port_list()
    counts = Counter((p.state, p.protocol) for p in ports)
    hidden = {k for k, n in counts.items() if n > IGNORE_THRESHOLD and k[0] != "open"}
    parts = []
    for state in ["closed", "filtered", "open|filtered", "closed|filtered", "unfiltered"]:
        for proto in ("tcp", "udp"):
            if (state, proto) in hidden:
                reasons = Counter(p.reason for p in ports
                                  if p.state == state and p.protocol == proto)
                why = ", ".join(f"{n} {r}" if len(reasons) > 1 else r
                                for r, n in reasons.most_common())
                parts.append(f"{counts[(state, proto)]} {state} {proto} ports ({why})")
    return "Not shown: " + ", ".join(parts)


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_normal_output_is_the_same_from_the_compact_table(seed: int) -> None:
    # equal counts of two reasons: the tie goes to the reason of the lowest port
    results = _results(seed, 400, [30, 1, 1, 10, 10, 1, 1])
    results += [(1, ("closed", "port-unreach", 64)), (2, ("closed", "reset", 64))]
    table, plain = _pair(results)
    hosts = [Host(ip="10.0.0.9", up=True, times=Times(0.001, 0.0005), ports=ports)
             for ports in (table, plain)]
    for kw in ({}, {"reason": True}, {"open_only": True}, {"verbose": 2}):
        texts = [format_host(h, **kw) for h in hosts]  # type: ignore[arg-type]
        assert texts[0] == texts[1]
    text = format_host(hosts[0])
    assert _old_not_shown(hosts[1]) in text.splitlines()
    # the summarised ports were never made objects: only the listed ones were
    counts = Counter(p.state for p in plain.values())
    listed = [p for p in plain.values()
              if p.state == "open" or counts[p.state] <= IGNORE_THRESHOLD]
    assert 0 < dict.__len__(table) == len(listed) < len(plain) // 2


@pytest.mark.parametrize("first", ["reset", "port-unreach"])
def test_reasons_with_equal_counts_are_listed_from_the_lowest_port(first: str) -> None:
    other = "port-unreach" if first == "reset" else "reset"
    results = [(n, ("closed", first if n % 2 else other, 64)) for n in range(1, 31)]
    results.append((100, ("open", "syn-ack", 64)))
    table, plain = _pair(results)
    for ports in (table, plain):
        h = Host(ip="10.0.0.9", up=True, ports=ports)
        assert f"Not shown: 30 closed tcp ports (15 {first}, 15 {other})" in \
            format_host(h).splitlines()
        assert _old_not_shown(h) in format_host(h).splitlines()
