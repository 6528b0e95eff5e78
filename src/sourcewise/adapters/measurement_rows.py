"""Checking one KPI measurement record: its converted fields, or a message per bad field.

Holds ``_RowChecker`` and the value parsers it uses (text, period, number, count, unit). Reading
the files, locating problems and batching are in ``measurement_file``, whose notes give the
conventions; every message here starts with the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from sourcewise.governance.kpis import (
    PERIOD_FORMS,
    KpiDefinition,
    Unit,
    UnitMismatch,
    check_value,
    closest_code,
    parse_period,
    parse_unit,
    value_range,
)

MAX_LABEL = 200
"""Longest engagement or series label, in characters."""

_Checked = tuple[str, str, datetime, float, Unit, int | None, str]  # MeasurementRow's fields
_Errors = list[tuple[str, str]]  # (field, message)


class CheckedColumns(NamedTuple):
    """Many valid records' fields, column by column (``_Checked``'s, transposed)."""

    engagements: list[str]
    kpis: list[str]
    periods: list[datetime]
    values: list[float]
    units: list[Unit]
    sample_sizes: list[int | None]
    series: list[str]


_NUMBERS = (float, int, Decimal)  # ijson gives Decimal unless told otherwise


def _show(raw: object) -> str:
    """A value as it appears in a message: quoted if text, and at most about 40 characters."""
    if isinstance(raw, str):
        return repr(raw if len(raw) <= 40 else raw[:37] + "...")
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(raw: object) -> str:
    if type(raw) is str:  # the common case first: every CSV cell
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # an XLSX label typed as a number, e.g. site 12
    return raw.strip() if isinstance(raw, str) else "" if raw is None else str(raw)


@lru_cache(maxsize=4096)  # a file has few distinct periods and many rows per period
def _period_text(text: str) -> datetime | str:
    try:
        return parse_period(text)
    except ValueError as error:
        return str(error)


def _period(raw: object) -> datetime | str:
    if _blank(raw):
        return "is missing"
    if type(raw) is str:
        return _period_text(raw)
    if isinstance(raw, datetime):  # an XLSX date cell: Excel stores no time zone
        if raw.tzinfo is None and raw.time() != time(0):
            return f"{raw.isoformat()} has a time but no UTC offset; write it as text with one"
        return raw.replace(tzinfo=UTC) if raw.tzinfo is None else raw.astimezone(UTC)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    if not isinstance(raw, str):
        return f"{_show(raw)} is not a date; use {PERIOD_FORMS}"
    return _period_text(raw)


def _number(raw: object) -> float | str:
    if isinstance(raw, _NUMBERS) and not isinstance(raw, bool):
        return float(raw)
    if _blank(raw):
        return "is missing"
    try:
        return float(raw) if isinstance(raw, str) else float("x")
    except ValueError:
        hint = ""
        if isinstance(raw, str) and "%" in raw:
            hint = " (give the unit in the unit column)"
        elif isinstance(raw, str) and "," in raw:
            hint = " (use a dot as the decimal separator, no thousands separator)"
        return f"{_show(_text(raw))} is not a number{hint}"


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and (not raw or raw.isspace()))


def _whole(raw: object) -> int | str | None:
    """A count, the reason it is not one, or None if blank (the field is optional)."""
    if _blank(raw):
        return None
    number = _number(raw)
    if isinstance(number, str) or not number.is_integer():
        return f"{_show(_text(raw))} is not a whole number"
    return int(number) if number >= 0 else f"{_show(_text(raw))} is negative"


@lru_cache(maxsize=256)
def _unit(text: str) -> Unit | str:
    try:
        return parse_unit(text)
    except ValueError as error:
        return str(error)


class _RowChecker:
    def __init__(self, kpis: Mapping[str, KpiDefinition], default_engagement: str | None):
        self.kpis, self.default = kpis, (default_engagement or "").strip()
        self.unknown: dict[str, str] = {}  # difflib is slow; a bad code tends to repeat

    def check(self, raw: Mapping[str, object]) -> _Checked | _Errors:
        code, unit_text = _text(raw.get("kpi")), _text(raw.get("unit"))
        engagement, series = _text(raw.get("engagement")) or self.default, _text(raw.get("series"))
        definition = self.kpis.get(code)
        period, value = _period(raw.get("period")), _number(raw.get("value"))
        unit = _unit(unit_text) if unit_text else None
        size = _whole(raw.get("sample_size"))
        # The valid row first, without building messages: this runs for millions of rows.
        if (
            definition is not None
            and isinstance(period, datetime)
            and isinstance(value, float)
            and (unit is None or isinstance(unit, Unit))
            and not isinstance(size, str)
            and 0 < len(engagement) <= MAX_LABEL
            and len(series) <= MAX_LABEL
        ):
            try:
                value = check_value(definition, value, unit)
            except ValueError:
                pass
            else:
                return engagement, code, period, value, definition.unit, size, series
        return self._errors(code, definition, period, value, unit, size, engagement, series)

    def check_table(
        self, records: Sequence[Sequence[str]], columns: Mapping[str, int]
    ) -> CheckedColumns | None:
        """Text records all as wide as the header (CSV), checked column by column with the
        interpreter's C loops (``map``, ``set``, numpy); None if any field is not plainly
        valid, and then ``check`` of each record gives the same rows and the messages.

        Plainly valid is stricter than valid: a unit that needs converting or a blank sample
        size sends the records to ``check`` (still loaded, only row by row)."""
        if not records:
            return None
        cells = list(zip(*records, strict=True))

        def column(name: str) -> tuple[str, ...] | None:
            index = columns.get(name)
            return None if index is None else cells[index]

        codes = list(map(str.strip, column("kpi") or ()))
        known = set(codes)
        if not known <= self.kpis.keys():
            return None
        periods = list(map(_period_text, column("period") or ()))
        if set(map(type, periods)) != {datetime}:
            return None
        try:
            values = list(map(float, column("value") or ()))
        except ValueError:
            return None
        units = column("unit")
        if units is not None:
            given = set(zip(codes, map(str.strip, units), strict=True))
            if any(text and _unit(text) is not self.kpis[code].unit for code, text in given):
                return None
        sizes = column("sample_size")
        sample_sizes: list[int | None] = [None] * len(codes)
        if sizes is not None:
            try:
                counts = list(map(int, sizes))
            except ValueError:
                return None
            if min(counts) < 0:
                return None
            sample_sizes = [*counts]
        engagements = self._labels(column("engagement"), self.default, len(codes))
        series = self._labels(column("series"), "", len(codes))
        if engagements is None or series is None or not all(engagements):
            return None
        if not _in_range(self.kpis, codes, values):
            return None
        unit_of = {code: self.kpis[code].unit for code in known}
        return CheckedColumns(
            engagements,
            codes,
            periods,  # type: ignore[arg-type]  # all datetimes, checked above
            values,
            list(map(unit_of.__getitem__, codes)),
            sample_sizes,
            series,
        )

    @staticmethod
    def _labels(texts: Sequence[str] | None, default: str, count: int) -> list[str] | None:
        """Stripped labels, blanks as ``default``; None if one is too long."""
        if texts is None:
            return [default] * count
        labels = list(map(str.strip, texts))
        if "" in labels and default:
            labels = [label or default for label in labels]
        return labels if max(map(len, labels)) <= MAX_LABEL else None

    def _errors(
        self,
        code: str,
        definition: KpiDefinition | None,
        period: datetime | str,
        value: float | str,
        unit: Unit | str | None,
        size: int | str | None,
        engagement: str,
        series: str,
    ) -> _Errors:
        errors: _Errors = []
        if definition is None:
            errors.append(("kpi", self._unknown_kpi(code) if code else "kpi is missing"))
        for name, result in (("period", period), ("value", value), ("sample_size", size)):
            if isinstance(result, str):
                errors.append((name, f"{name} {result}"))
        if isinstance(unit, str) and not isinstance(unit, Unit):  # a Unit is a str too
            errors.append(("unit", f"unit {unit}"))
        elif definition is not None and isinstance(value, float):
            try:
                check_value(definition, value, unit)
            except UnitMismatch as error:
                errors.append(("unit", f"unit {error}"))
            except ValueError as error:
                errors.append(("value", f"value {error}"))
        if not engagement:
            errors.append(("engagement", "engagement is missing and no default was given"))
        for name, label in (("engagement", engagement), ("series", series)):
            if len(label) > MAX_LABEL:
                errors.append((name, f"{name} is longer than {MAX_LABEL} characters"))
        return errors

    def _unknown_kpi(self, code: str) -> str:
        if code not in self.unknown:
            close = closest_code(code, self.kpis)
            hint = f"; did you mean '{close}'?" if close else ""
            if len(self.unknown) > 1000:
                self.unknown.clear()
            self.unknown[code] = f"kpi {_show(code)} is not a known KPI{hint}"
        return self.unknown[code]


def _in_range(kpis: Mapping[str, KpiDefinition], codes: list[str], values: list[float]) -> bool:
    """Whether every value is finite, within its KPI's range and whole for a count: what
    ``check_value`` asks of each, for a column at once."""
    import numpy as np  # only a load needs it, not the command line's start-up

    order = {code: index for index, code in enumerate(set(codes))}
    bounds = [value_range(kpis[code]) for code in order]
    low = np.array([-np.inf if lo is None else lo for lo, _ in bounds])
    high = np.array([np.inf if hi is None else hi for _, hi in bounds])
    whole = np.array([kpis[code].unit is Unit.COUNT for code in order])
    which = np.fromiter(map(order.__getitem__, codes), dtype=np.intp, count=len(codes))
    found = np.array(values, dtype=np.float64)
    if not (np.isfinite(found).all() and (found >= low[which]).all()):
        return False
    if not (found <= high[which]).all():
        return False
    counted = found[whole[which]]
    return bool((counted == np.floor(counted)).all())
