"""Country and territory names in a reader's language, for pages and for texts we write.

Babel (CLDR) gives the names; Portuguese ones follow Mozambican and European usage (CLDR's
``pt_MZ``: "Quénia", "Zimbabué"), with our own choice where that differs from how partners
write (CLDR's "Congo-Kinshasa", "Côte d’Ivoire (Costa do Marfim)"). The ISO code stays in
the data; only what people read is a name.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

#: CLDR's locale for each language we write in (Portuguese as written in Mozambique).
_CLDR = {"pt": "pt_MZ"}
#: Where our usage differs from CLDR's.
OVERRIDES: dict[str, dict[str, str]] = {
    "en": {"CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
           "ST": "São Tomé and Príncipe", "PS": "Palestine"},
    "pt": {"CD": "República Democrática do Congo", "CG": "República do Congo",
           "CI": "Costa do Marfim", "MW": "Malawi", "PS": "Palestina"},
}


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(_CLDR.get(language, language))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return {**{str(k): str(v) for k, v in locale.territories.items()},
            **OVERRIDES.get(language, {})}


def country_name(code: str, language: str) -> str:
    """The name of the country or territory ``code`` (ISO 3166) in ``language``; an unknown
    code as it is ("SZ" → "Essuatíni" in Portuguese, "Eswatini" in English)."""
    if not code:
        return ""
    return _territories(language).get(code.upper(), code)
