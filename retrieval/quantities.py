"""Whether a text holds what a "when" or "how many" question asks for: a number or a month name.

Search favours such sentences for those questions, and composition picks, among outlets
reporting one fact, the wording that holds the date or the figure; both ask here.
"""

from __future__ import annotations

import re

# Gregorian month names in the Egyptian/Gulf series and the Levantine/Iraqi one.
_MONTHS = (
    "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
    "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
)
_NUMBER_OR_MONTH = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]|" + "|".join(_MONTHS.split()))


def holds_number_or_month(text: str) -> bool:
    """True when ``text`` holds a digit (Western, Arabic-Indic or Persian) or a month name."""
    return _NUMBER_OR_MONTH.search(text) is not None
