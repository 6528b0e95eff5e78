"""A location assessment as a JSON document: ``locations show`` and ``locations rank`` print it,
``decide`` gives one per country its options use (``functions[].locations``), the web API serves
it. Scores are 0-100, shares fractions, hours per working day; null means the data is missing,
never zero. Reference: docs/locations.md and docs/decide-json.md."""

from __future__ import annotations

from sourcewise.domain.location import TransferRegime
from sourcewise.domain.location_score import Component
from sourcewise.reports.document import Record


class ScoreComponent(Record):
    """One part of the location score."""

    name: Component
    """The component scored."""
    score: float | None
    """0-100; null when the country has no data for it."""
    weight: float
    """Its weight in the score after the weights of missing components are spread over the
    others (0 when missing)."""
    explanation: str
    """The figures behind the component's score, in one sentence."""
    applies: bool
    """False when the component does not apply from this home (data transfer from outside the
    EEA): null there is not missing data and does not lower the coverage."""


class Overlap(Record):
    """Hours each working day that the home business city and the work country's business city
    are both within 9:00-17:00, over one year, with daylight saving and public holidays."""

    year: int
    """The year counted."""
    min_hours: float
    """Fewest shared hours on one working day."""
    mean_hours: float
    """Mean shared hours per working day."""
    max_hours: float
    """Most shared hours on one working day."""
    days_without_overlap: int
    """Working days with no shared hour."""
    days_counted: int
    """Home working days counted."""


class WorkingDays(Record):
    """Working days of the year at home and in the work country, holidays and weekends off."""

    home: int
    """Working days at home."""
    work: int
    """Working days in the work country."""
    shared: int
    """Days both work."""
    home_holidays_known: bool
    """Whether the home country's public holidays are known (otherwise none are assumed)."""
    work_holidays_known: bool
    """Whether the work country's public holidays are known (otherwise none are assumed)."""


class Indicator(Record):
    """The latest value of one country indicator."""

    value: float
    """The value, in the unit of its source (docs/locations.md lists the indicators)."""
    year: int | None
    """Year the value refers to; null when the source gives none."""
    source: str
    """Id of its source in ``sources[]``, or ``scenario: …`` for a scenario's own figure."""


class Source(Record):
    """Where indicator values come from; only ``id`` is known for a scenario's own figures."""

    id: str
    """The source's id, as the indicators name it."""
    publisher: str | None
    """Who publishes it."""
    dataset: str | None
    """The dataset."""
    indicator_code: str | None
    """The indicator's code in the dataset."""
    unit: str | None
    """Unit of its values."""
    file: str | None
    """The packaged file the values were read from."""
    licence: str | None
    """Terms of reuse."""
    url_or_origin: str | None
    """Where the file was obtained."""


class LocationDocument(Record):
    """One country assessed as the place where a function's work would be done."""

    country: str
    """ISO 3166 alpha-2 code of the work country."""
    country_name: str
    """Its English name."""
    home_country: str
    """ISO 3166 alpha-2 code of the home country it is assessed from."""
    score: float | None
    """Location score, 0-100: the weighted mean of the components with data; null when none
    has data."""
    coverage: float
    """Share of the weight of the components that apply whose components had data (data
    transfer does not apply from a home outside the EEA, and does not count as missing)."""
    low_coverage: bool
    """Coverage below 0.6: ranked after every country with enough data."""
    components: list[ScoreComponent]
    """The parts of the score."""
    business_city: str
    """The city whose working day the overlap is computed for."""
    timezone: str
    """The business city's IANA time zone."""
    overlap: Overlap
    """Shared working hours with the home country over the year."""
    working_days: WorkingDays
    """Working days at home, there, and shared."""
    currency: str
    """ISO 4217 code of the work country's currency."""
    fx_volatility: float | None
    """Annualised volatility of its exchange rate against the home currency (0.1 is 10%)."""
    inflation_mean_pct: float | None
    """Mean yearly consumer-price inflation over the last five years, in percent."""
    inflation_trend_pp_per_year: float | None
    """Slope of yearly inflation over the last five points, percentage points per year."""
    gdpr_transfer: TransferRegime
    """What sending personal data from home to this country requires under the GDPR."""
    languages: list[str]
    """ISO 639-1 codes of the languages widely spoken."""
    english_share: float | None
    """Share of the population that speaks English."""
    distance_km: float | None
    """Great-circle distance between the two business cities."""
    indicators: dict[str, Indicator]
    """The latest value of each indicator the country has, by indicator id."""
    data_year: int | None
    """Newest year among the indicators."""
    sources: list[Source]
    """Every source the indicators use."""
