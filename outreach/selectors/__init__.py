"""Reads of the outreach program, shared by the views, the CSV downloads, the home panel and the reports.

Every function takes the viewing user and starts from `visible_to(viewer)`, so one scoping
rule narrows every list, count and export. Import from here: `from outreach import selectors`.
"""

from outreach.selectors.counts import *  # noqa: F403
from outreach.selectors.counts import __all__ as _counts
from outreach.selectors.lists import *  # noqa: F403
from outreach.selectors.lists import __all__ as _lists

__all__ = [*_lists, *_counts]
