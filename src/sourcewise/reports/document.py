"""What every JSON document of sourcewise shares: the record base, the header and the summary of
a simulated value.

The documents (``decision_document``, ``simulation_document``, ``plan_document``,
``location_document``) are pydantic models whose attribute docstrings are the reference: they feed
``sourcewise schema --decision`` (JSON Schema) and the field tables of docs/decide-json.md,
docs/simulate.md and docs/optimise.md (``make docs``). The builders (``decision_json`` and the
others) fill them from the services' results, so a key cannot be added without being described.

One vocabulary across them: a bare name is the value of the deterministic model at each input's
mean (``npv_cost``, ``break_even_month``); ``_distribution`` is the same quantity over the
Monte Carlo draws as a ``Distribution`` (``npv_cost_distribution``); ``_mean`` is its mean alone
(``components_npv_mean``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from sourcewise import __version__
from sourcewise.domain.scenario import Scenario
from sourcewise.services.simulate import BreakEven, Simulation, Summary

SCHEMA_VERSION: Literal["2.3.0"] = "2.3.0"
"""Semantic version of the documents' shape (docs/decide-json.md, "Versions"): the major part
changes when a key is removed, renamed or changes meaning or shape, the minor part when a key is
added, the patch part when only descriptions change."""

SchemaVersion = Literal["2.3.0"]


class Record(BaseModel):
    """A JSON object of a document: every key described, no other key allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Distribution(Record):
    """A quantity over the Monte Carlo draws. Without uncertainty every field is the one value
    (and ``se``, ``sd`` are 0)."""

    mean: float
    """Mean over the draws."""
    se: float
    """Standard error of the mean: sd / sqrt(draws)."""
    sd: float
    """Standard deviation over the draws."""
    p10: float
    """10th percentile: one draw in ten is below it."""
    p50: float
    """Median."""
    p90: float
    """90th percentile: one draw in ten is above it (for a cost, the bad case)."""


class MonthDistribution(Record):
    """The break-even month over the draws: percentiles among the draws that break even within
    the horizon (interpolated, so they may fall between months), and the share that never do."""

    p10: float | None
    """10th percentile of the break-even month; null when no draw breaks even."""
    p50: float | None
    """Median break-even month; null when no draw breaks even."""
    p90: float | None
    """90th percentile of the break-even month; null when no draw breaks even."""
    share_never: float
    """Share of draws in which cumulative savings never stay at or above zero."""


class Company(Record):
    """Who is deciding, as the scenario's ``company`` section gives it."""

    name: str
    """The company's name."""
    home_country: str
    """ISO 3166 alpha-2 code of the home country."""
    currency: str
    """ISO 4217 code of the currency of every amount in the document."""
    discount_rate: float
    """Yearly rate at which future costs are discounted to net present values."""
    horizon_years: int
    """Years of cost the comparison covers."""
    start_year: int
    """Calendar year the horizon starts; holidays and working-hour overlap are those of it."""
    start_year_given: bool
    """Whether the scenario sets ``start_year``; false: it is the year the run was made, so
    the same file and seed may give other figures in another year."""


class SimulationRun(Record):
    """The Monte Carlo run behind every ``_distribution`` and ``_mean`` figure."""

    draws: int
    """Number of draws of the uncertain inputs."""
    seed: int
    """Random seed: the same scenario, draws and seed give the same figures."""


class Document(Record):
    """The header every document starts with."""

    schema_version: SchemaVersion
    """Version of this document's shape (docs/decide-json.md, "Versions")."""
    sourcewise_version: str
    """Version of the sourcewise package that wrote it."""
    scenario: str
    """The scenario file's path (its name for a scenario sent to the web API)."""
    company: Company
    """The scenario's company."""
    simulation: SimulationRun | None
    """The Monte Carlo run; null when there was none (``--draws 0``)."""


def header(scenario: Scenario, simulation: Simulation | None) -> dict[str, Any]:
    """The header's fields for a document of ``scenario`` and its ``simulation``, if any."""
    c = scenario.company
    return {
        "schema_version": SCHEMA_VERSION,
        "sourcewise_version": __version__,
        "scenario": scenario.source,
        "company": Company(
            name=c.name,
            home_country=c.home_country,
            currency=c.currency,
            discount_rate=c.discount_rate,
            horizon_years=c.horizon_years,
            start_year=c.start_year,
            start_year_given=c.start_year_given,
        ),
        "simulation": None
        if simulation is None
        else SimulationRun(draws=simulation.draws, seed=simulation.seed),
    }


def money(value: float) -> float:
    """An amount in the company currency, rounded to cents."""
    return round(float(value), 2)


def distribution(s: Summary) -> Distribution:
    return Distribution(
        mean=money(s.mean),
        se=money(s.se),
        sd=money(s.sd),
        p10=money(s.p10),
        p50=money(s.p50),
        p90=money(s.p90),
    )


def month_distribution(b: BreakEven) -> MonthDistribution:
    return MonthDistribution(p10=b.p10, p50=b.p50, p90=b.p90, share_never=round(b.share_never, 6))


def json_schema(document: type[Document]) -> dict[str, Any]:
    """``document``'s JSON Schema (draft 2020-12): every key required, no other key allowed."""
    schema = document.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
