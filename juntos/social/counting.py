"""How long a text is on each platform, by that platform's own rules.

Each platform declares its rule, its limit and its length function (``juntos.social.platforms``,
one package per platform, with the rules written up there); this module measures a text against
them, with a cache (waves repeat texts), and says which rule a text breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from juntos.social import platforms
from juntos.social.platforms import UnknownPlatform
from juntos.social.platforms.base import graphemes

__all__ = ["Count", "UnknownPlatform", "count", "graphemes"]


@dataclass(frozen=True)
class Count:
    """A text's length on one platform, against that platform's limit."""

    platform: str
    length: int
    limit: int | None
    invalid_characters: bool = False

    @property
    def ok(self) -> bool:
        within = self.limit is None or self.length <= self.limit
        return within and not self.invalid_characters

    @property
    def over_by(self) -> int:
        return 0 if self.limit is None else max(0, self.length - self.limit)

    @property
    def rule(self) -> str:
        platform = platforms.get(self.platform)
        return platform.invalid_rule if self.invalid_characters else platform.rule

    @property
    def problem(self) -> str:
        """What a writer reads when the text does not fit: the count and the rule broken."""
        return f"{self.length}/{self.limit}: {self.rule}."


@lru_cache(maxsize=4096)
def count(platform_id: str, text: str) -> Count:
    """The text's length on the platform and that platform's limit (cached: waves repeat texts)."""
    platform = platforms.get(platform_id)
    return Count(platform=platform_id, length=platform.length(text), limit=platform.limit,
                 invalid_characters=platform.invalid(text))
