"""What the product knows about a country, and how a site relates to home.

The facts come from the packaged country table (see ``sourcewise/data/SOURCES.md``); this module
only holds them and derives relations such as the working-time gap and shared languages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

WORKDAY_START_HOUR = 9
WORKDAY_HOURS = 8

# Mid-January and mid-July catch both daylight-saving states in either hemisphere.
_REFERENCE_DAYS = (datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12))


class GdprStatus(StrEnum):
    """A country's standing under the EU GDPR's rules on transfers of personal data."""

    EEA = "eea"
    ADEQUACY = "adequacy"
    PARTIAL_ADEQUACY = "partial adequacy"
    THIRD_COUNTRY = "third country"


class TransferRegime(StrEnum):
    """What moving personal data from home to the work country requires."""

    NOT_GOVERNED = "not governed by the GDPR"
    WITHIN_EEA = "within the EEA"
    ADEQUACY = "adequacy decision"
    PARTIAL_ADEQUACY = "partial adequacy decision"
    SAFEGUARDS_NEEDED = "safeguards needed"


LARGE_LANGUAGE_POOL = 10_000_000
SIZEABLE_LANGUAGE_POOL = 1_000_000


@dataclass(frozen=True, slots=True)
class CountryFacts:
    iso2: str
    name: str
    business_city: str
    timezone: str
    """IANA time zone of the business city used for working-hour overlap."""
    neighbours: frozenset[str]
    languages: tuple[str, ...]
    """ISO 639-1 codes of the languages spoken, most common first."""
    currency: str
    gdpr: GdprStatus = GdprStatus.THIRD_COUNTRY
    gdpr_scope: str = ""
    latitude: float | None = None
    longitude: float | None = None
    """Coordinates of the business city."""
    population: int | None = None
    official_languages: tuple[str, ...] = ()
    language_shares: Mapping[str, float] = field(default_factory=dict)
    """Share of the population speaking each language (0–1), where CLDR records it."""

    def speakers(self, language: str) -> float | None:
        """Share of people who speak ``language``: 1 for an official one, None if unknown."""
        if language in self.official_languages:
            return 1.0
        if language in self.language_shares:
            return self.language_shares[language]
        return 1.0 if language in self.languages and not self.language_shares else None

    def staffing_share(self, language: str) -> float:
        """How available speakers of ``language`` are for hiring, as a share of people.

        The share of the population, raised for large countries: 10 million speakers count as
        common (0.5) and 1 million as a sizeable minority (0.1) whatever their share, since a
        staff of hundreds can be found among them (41 million Spanish speakers in the US are
        under 10% of its people).
        """
        share = self.speakers(language) or 0.0
        count = share * (self.population or 0)
        if count >= LARGE_LANGUAGE_POOL:
            return max(share, 0.5)
        if count >= SIZEABLE_LANGUAGE_POOL:
            return max(share, 0.1)
        return share

    @property
    def english_share(self) -> float | None:
        return self.language_shares.get("en")


@dataclass(frozen=True, slots=True)
class SiteRelation:
    """How a work country relates to the home country."""

    home: CountryFacts
    work: CountryFacts
    timezone_gap_hours: float
    """Largest absolute gap between the two business cities' clocks over the year."""
    overlap_hours: float
    """Fewest shared hours of a 9:00–17:00 working day over the year."""
    neighbouring: bool
    shared_languages: tuple[str, ...]

    @property
    def abroad(self) -> bool:
        return self.home.iso2 != self.work.iso2

    @property
    def same_currency(self) -> bool:
        return self.home.currency == self.work.currency

    @property
    def transfer_regime(self) -> TransferRegime:
        """GDPR regime for personal data sent from home to the work country."""
        if self.home.gdpr is not GdprStatus.EEA:
            return TransferRegime.NOT_GOVERNED
        return {
            GdprStatus.EEA: TransferRegime.WITHIN_EEA,
            GdprStatus.ADEQUACY: TransferRegime.ADEQUACY,
            GdprStatus.PARTIAL_ADEQUACY: TransferRegime.PARTIAL_ADEQUACY,
            GdprStatus.THIRD_COUNTRY: TransferRegime.SAFEGUARDS_NEEDED,
        }[self.work.gdpr]


def utc_offset_hours(timezone: str, when: datetime) -> float:
    offset = when.replace(tzinfo=ZoneInfo(timezone)).utcoffset() or timedelta(0)
    return offset.total_seconds() / 3600.0


def wrap_gap(gap_hours: float) -> float:
    """A clock difference as time zones are usually quoted, within −12…+14 h.

    Los Angeles and Auckland differ by 21 h of offset, but across the date line they are 3 h
    apart: −3 h.
    """
    if -12.0 <= gap_hours <= 14.0:
        return gap_hours
    return (gap_hours + 12.0) % 24.0 - 12.0


def working_overlap_hours(gap_hours: float) -> float:
    """Hours two 9:00–17:00 days share when their clocks differ by ``gap_hours``."""
    distance = abs(gap_hours) % 24.0
    return max(0.0, WORKDAY_HOURS - min(distance, 24.0 - distance))


def relate(home: CountryFacts, work: CountryFacts) -> SiteRelation:
    gaps = [
        wrap_gap(utc_offset_hours(work.timezone, day) - utc_offset_hours(home.timezone, day))
        for day in _REFERENCE_DAYS
    ]
    widest = max(gaps, key=abs)
    return SiteRelation(
        home=home,
        work=work,
        timezone_gap_hours=widest,
        overlap_hours=min(working_overlap_hours(gap) for gap in gaps),
        neighbouring=work.iso2 in home.neighbours,
        shared_languages=tuple(lang for lang in home.languages if lang in work.languages),
    )


EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG)."""


def great_circle_km(a: CountryFacts, b: CountryFacts) -> float | None:
    """Distance between two business cities on the sphere (haversine); None without coordinates."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = (
        math.radians(v) for v in (a.latitude, a.longitude, b.latitude, b.longitude) if v is not None
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
