"""Field types of the scenario format: checked codes and uncertain numbers.

A code (country, currency, language, indicator) is checked against the packaged data or
pycountry, with a hint at what was meant. A number field may instead hold a distribution; it
must then lie in the field's range wherever it can fall.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from sourcewise.adapters.country_table import load_countries

if TYPE_CHECKING:
    from sourcewise.domain.uncertainty import Distribution

MAX_MONEY = 1e12


def _country_code(value: str) -> str:
    code = value.strip().upper()
    countries = load_countries()
    if code in countries:
        return code
    hint = ""
    match = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if match is not None:
        hint = f" (use the two-letter code '{match.alpha_2}' for {match.name})"
    elif len(code) > 3:  # looks like a name: suggest the closest country name
        by_name = {facts.name.lower(): facts for facts in countries.values()}
        close = difflib.get_close_matches(value.strip().lower(), by_name, n=1, cutoff=0.75)
        if close:
            found = by_name[close[0]]
            hint = f" (did you mean '{found.iso2}' for {found.name}?)"
    raise ValueError(f"unknown country code '{value}'; use ISO 3166-1 alpha-2{hint}")


def _currency_code(value: str) -> str:
    code = value.strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"unknown currency '{value}'; use an ISO 4217 code such as USD or EUR")
    return code


def _language_code(value: str) -> str:
    code = value.strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"unknown language '{value}'; use an ISO 639-1 code such as en or es")
    return code


def _indicator_id(value: str) -> str:
    from sourcewise.domain.indicators import Indicator

    known = [str(i) for i in Indicator]
    if value in known:
        return value
    close = difflib.get_close_matches(value, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f"; one of {', '.join(known)}"
    raise ValueError(f"unknown indicator '{value}'{hint}")


CountryCode = Annotated[str, AfterValidator(_country_code)]
IndicatorId = Annotated[str, AfterValidator(_indicator_id)]
CurrencyCode = Annotated[str, AfterValidator(_currency_code)]
LanguageCode = Annotated[str, AfterValidator(_language_code)]


DISTRIBUTIONS = ("fixed", "uniform", "triangular", "pert", "normal", "lognormal", "empirical")


class DistributionModel(BaseModel):
    """An uncertain number: ``{dist: triangular, low: 10, mode: 12, high: 15}`` and the like.

    uniform(low, high); triangular and pert(low, mode, high); normal(mean, sd, optional low and
    high to truncate); lognormal(median, sigma of the log); empirical(values); fixed(value).
    ``source`` says where the range comes from. The deterministic model uses the mean.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    dist: Literal["fixed", "uniform", "triangular", "pert", "normal", "lognormal", "empirical"]
    value: float | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    values: list[float] | None = Field(None, min_length=1, max_length=100_000)
    source: str = Field("", max_length=300)

    @model_validator(mode="after")
    def _parameters(self) -> DistributionModel:
        needed = {
            "fixed": ("value",),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "pert": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
            "lognormal": ("median", "sigma"),
            "empirical": ("values",),
        }[self.dist]
        allowed = {*needed, "dist", "source"} | (
            {"low", "high"} if self.dist == "normal" else set()
        )
        missing = [name for name in needed if getattr(self, name) is None]
        extra = [
            name
            for name in self.model_fields_set
            if name not in allowed and getattr(self, name) is not None
        ]
        if missing:
            raise ValueError(f"{self.dist} needs {', '.join(missing)}")
        if extra:
            raise ValueError(f"{self.dist} takes no {', '.join(sorted(extra))}")
        self.to_distribution()  # the domain checks the parameters' values
        return self

    def to_distribution(self) -> Distribution:
        from sourcewise.domain import uncertainty as u

        match self.dist:
            case "fixed":
                return u.Fixed(_req(self.value))
            case "uniform":
                return u.Uniform(_req(self.low), _req(self.high))
            case "triangular":
                return u.Triangular(_req(self.low), _req(self.mode), _req(self.high))
            case "pert":
                return u.Pert(_req(self.low), _req(self.mode), _req(self.high))
            case "normal":
                return u.Normal(mu=_req(self.mean), sd=_req(self.sd), low=self.low, high=self.high)
            case "lognormal":
                return u.LogNormal(_req(self.median), _req(self.sigma))
            case _:
                return u.Empirical(tuple(self.values or ()))


def _req(value: float | None) -> float:
    assert value is not None  # checked by DistributionModel._parameters first
    return value


def _within(low: float, high: float) -> Callable[[Any], Any]:
    """A check that a number, or every value a distribution can take, lies in [low, high].

    The lower end is checked strictly (a cost must not go negative however unlikely); the upper
    end at the 1 - 1e-12 quantile, so an unbounded tail far above the limit is accepted.
    """

    def check(value: Any) -> Any:
        if isinstance(value, DistributionModel):
            dist = value.to_distribution()
            lowest, highest = (float(v) for v in dist.ppf(np.array([0.0, 1.0 - 1e-12])))
            if lowest < low or highest > high:
                raise ValueError(
                    f"{dist.describe()} can take values outside {low:g}..{high:g}; "
                    "narrow it or truncate it with low and high"
                )
        return value

    return check


UNCERTAIN_TAGS = ("number", "distribution")
"""Branch tags pydantic puts in error locations; stripped when problems are reported."""


def _branch(value: Any) -> str:
    return "distribution" if isinstance(value, dict | DistributionModel) else "number"


_Distribution = Annotated[DistributionModel, Tag("distribution")]
_Branch = Discriminator(_branch)

# A number in range, or a distribution whose every value lies in it.
Money = Annotated[
    Annotated[Annotated[float, Field(ge=0, le=MAX_MONEY)], Tag("number")] | _Distribution,
    _Branch,
    AfterValidator(_within(0, MAX_MONEY)),
]
PositiveMoney = Annotated[
    Annotated[Annotated[float, Field(gt=0, le=MAX_MONEY)], Tag("number")] | _Distribution,
    _Branch,
    AfterValidator(_within(0, MAX_MONEY)),
]
Rate = Annotated[
    Annotated[Annotated[float, Field(ge=-0.5, le=1.0)], Tag("number")] | _Distribution,
    _Branch,
    AfterValidator(_within(-0.5, 1.0)),
]
Share = Annotated[
    Annotated[Annotated[float, Field(ge=0, le=1)], Tag("number")] | _Distribution,
    _Branch,
    AfterValidator(_within(0, 1)),
]
