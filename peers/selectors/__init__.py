"""Reads of the peer-support program, shared by the screens, the CSV downloads and the annual
report: `records` for lists and per-record figures, `summary` for the 年度 totals."""

from peers.selectors.records import *  # noqa: F403
from peers.selectors.records import __all__ as _records_all
from peers.selectors.summary import AnnualSummary, annual_summary

__all__ = [*_records_all, "AnnualSummary", "annual_summary"]
