"""Errors the scanner raises for bad input and for environments it cannot work in."""

from __future__ import annotations

__all__ = ["ScanError", "UsageError"]


class ScanError(Exception):
    """A scan cannot run (no privileges, no route...).  The CLI prints one line, exit 1."""


class UsageError(ScanError):
    """Bad command-line input (target, port spec, option value).  One line, exit 2."""
