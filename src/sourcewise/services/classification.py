"""Classify a single arrangement from the command line or the API."""

from __future__ import annotations

from collections.abc import Mapping

from sourcewise.adapters.country_table import load_countries
from sourcewise.domain.arrangement import Classification, Employer, SiteFacts, classify
from sourcewise.domain.location import CountryFacts, relate
from sourcewise.domain.problems import InputError, Problem


def classify_arrangement(
    home: str,
    work_country: str,
    employer: Employer,
    facility_owner: Employer | None = None,
    transfer_month: int | None = None,
    countries: Mapping[str, CountryFacts] | None = None,
) -> Classification:
    """The arrangement of work in ``work_country`` for a company at ``home``; the countries
    are the packaged table unless given."""
    countries = load_countries() if countries is None else countries
    problems = [
        Problem("<command line>", None, option, f"unknown country code '{code}'")
        for option, code in (("--home", home), ("--work-country", work_country))
        if code.upper() not in countries
    ]
    if problems:
        raise InputError(problems)
    relation = relate(countries[home.upper()], countries[work_country.upper()])
    return classify(
        SiteFacts(
            employer=employer,
            work_country=work_country.upper(),
            home_country=home.upper(),
            facility_owner=facility_owner,
            transfer_month=transfer_month,
            timezone_gap_hours=relation.timezone_gap_hours,
            neighbouring=relation.neighbouring,
        )
    )
