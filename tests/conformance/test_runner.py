"""The conformance tooling itself: the fork runner must behave like a fresh process.

``test_conformance.py`` trusts ``runner.run_forked`` to give the same stdout, exit status
and stderr message as ``nse lua FILE`` started from scratch; this checks it on programs
that exercise stdin, arguments (non-UTF-8 included), ``os.exit`` statuses, uncaught
errors, the time zone and the environment.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _load(name: str, filename: str):  # noqa: ANN202 - a module
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


record = _load("conformance_record", "record.py")
runner = _load("conformance_runner", "runner.py")

SAMPLE = [
    "001_arith_int_float.lua",
    "155_os_time_table.lua",  # TZ=UTC
    "157_os_misc.lua",  # HOME from the environment
    "166_io_read_stdin.lua",  # stdin from the .in file
    "220_uncaught_error_err.lua",  # status 1 and the message on stderr
    "223_os_exit_err.lua",  # os.exit(3) after buffered output
    "269_arg_dashes.lua",  # option-like and non-UTF-8 arguments
]


def test_error_program_names() -> None:
    """``_err`` is a word of the name, not any substring (``_errors`` is a normal program)."""
    assert record.is_err_program("220_uncaught_error_err.lua")
    assert record.is_err_program("300_x_err_y.lua")
    assert not record.is_err_program("010_bitwise_errors.lua")
    assert not record.is_err_program("004_int_div_zero_pcall.lua")


def test_arguments_are_bytes() -> None:
    """Arguments are read as bytes and given to the OS unchanged."""
    args = record.args_of("269_arg_dashes.lua")
    assert "--help" in args and "" in args
    assert b"\xff\xfe" in [a.encode("utf-8", "surrogateescape") for a in args]


@pytest.mark.parametrize("program", SAMPLE)
def test_fork_runner_matches_a_fresh_process(program: str) -> None:
    """Same stdout and status from a forked child as from a new ``nse lua`` process."""
    forked = runner.run_forked([program], jobs=1)[program]
    fresh = record.run([sys.executable, "-m", "nse.cli", "lua"], program)
    assert forked.stdout == fresh.stdout
    assert forked.status == fresh.status
    first_line = fresh.stderr.splitlines()[:1]
    assert forked.stderr.splitlines()[:1] == first_line
