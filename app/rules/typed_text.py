"""Text as people type it, folded to the plain form that validators and look-ups compare: full-width letters,
digits and punctuation (typed with an IME) and the digits of other scripts (Arabic-Indic, Devanagari…) become
their ASCII forms, so '０８１２' and '٠٨١٢' are read as '0812'."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """NFKC ('ＳＬＭ－０１' → 'SLM-01'), then every remaining decimal digit of any script to its ASCII digit (NFKC
    leaves Arabic-Indic and other native digits as they are)."""
    folded = unicodedata.normalize("NFKC", text)
    if folded.isascii():
        return folded
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)
