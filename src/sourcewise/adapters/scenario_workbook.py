"""The scenario as an Excel workbook: which sheet and column holds each field, and how cells hold
values that a spreadsheet has no type for (distributions, lists).

Layout (documented in docs/excel.md and on the workbook's README sheet): ``company`` and
``portfolio`` are two-column records (field, value); ``functions``, ``options`` (one row per
option of a function), ``parts`` (the sites of a hybrid option), ``weights``, ``ahp``,
``indicators`` and ``correlations`` are tables whose header row holds the YAML key of each
column (``goods.unit_price`` for a nested one). Rows refer to their function, and parts to their
option, by name. An uncertain number is written in its cell as text such as
``triangular(16.5, 18, 20, source="RFP answers")``. The reader and the writer share these
definitions, so the round trip YAML → XLSX → YAML loses nothing the scenario model keeps.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sourcewise.adapters.field_types import DISTRIBUTIONS, DistributionModel
from sourcewise.adapters.scenario_schema import (
    CompanyModel,
    CorrelationModel,
    FunctionModel,
    GoalsModel,
    GoodsModel,
    GoodsTermsModel,
    IndicatorModel,
    OptionModel,
    PartModel,
    PortfolioModel,
    SiteFields,
)

# Every sheet the reader understands, in workbook order; README and lists are written only.
RECORD_SHEETS = ("company", "portfolio")
TABLE_SHEETS = (
    "functions",
    "options",
    "parts",
    "weights",
    "ahp",
    "indicators",
    "correlations",
)
SHEET_ORDER = ("company", "functions", "options", "parts", *TABLE_SHEETS[3:], "portfolio")

EMPTY_LIST = "[]"
"""An explicitly empty list, which differs from an empty cell where the default is not []."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table sheet (or one row of a record sheet)."""

    header: str
    """The key in the row's mapping, dotted for a nested one (``goods.unit_price``)."""
    kind: str
    """text, number, integer, uncertain, bool, enum, list, or ref (a function/option name)."""
    description: str = ""
    choices: str | None = None
    """Name of the hidden ``lists`` column that feeds the cell's drop-down."""
    low: float | None = None
    high: float | None = None
    default: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.header.split("."))


def _contains(annotation: Any, target: type) -> bool:
    if annotation is target:
        return True
    return any(_contains(arg, target) for arg in typing.get_args(annotation))


def _base(annotation: Any) -> Any:
    """The annotation without Annotated wrappers and None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base(args[0])
    return annotation


def _bounds(annotation: Any, metadata: list[Any]) -> tuple[float | None, float | None]:
    """The inclusive range in a field's constraints, or in the number branch of an
    uncertain type (strict bounds are widened to inclusive: the import checks them exactly)."""
    low = high = None
    for item in metadata:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)  # type: ignore[arg-type]
        elif isinstance(item, Le | Lt):
            high = float(item.le if isinstance(item, Le) else item.lt)  # type: ignore[arg-type]
        elif isinstance(item, FieldInfo):
            inner = _bounds(None, item.metadata)
            low, high = inner[0] if inner[0] is not None else low, inner[1] or high
    if low is None and high is None and annotation is not None:
        for arg in typing.get_args(annotation):
            if isinstance(arg, FieldInfo):
                return _bounds(None, arg.metadata)
            found = _bounds(arg, [])
            if found != (None, None):
                return found
    return low, high


_CODE_LISTS = {
    "country": "countries",
    "home_country": "countries",
    "currency": "currencies",
    "indicator": "indicators",
}


def _default_text(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, list):
        return "empty"
    return str(getattr(value, "value", value))


def _column(header: str, field: FieldInfo) -> Column:
    annotation = field.annotation
    base = _base(annotation)
    name = header.split(".")[-1]
    choices = _CODE_LISTS.get(name)
    low = high = None
    if _contains(annotation, DistributionModel):
        kind = "uncertain"
        low, high = _bounds(annotation, field.metadata)
    elif base is bool:
        kind, choices = "bool", "booleans"
    elif isinstance(base, type) and issubclass(base, enum.Enum):
        kind, choices = "enum", base.__name__
    elif typing.get_origin(base) is list:
        kind = "list"
    elif base is int or base is float:
        kind = "integer" if base is int else "number"
        low, high = _bounds(annotation, field.metadata)
    else:
        kind = "text"
    return Column(
        header,
        kind,
        description=field.description or "",
        choices=choices,
        low=low,
        high=high,
        default=_default_text(field),
    )


def _fields(model: type[BaseModel], prefix: str = "", skip: tuple[str, ...] = ()) -> list[Column]:
    """A model's fields as columns, with nested goods and goals models spread over columns."""
    columns = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        nested = _base(field.annotation)
        if (
            isinstance(nested, type)
            and issubclass(nested, BaseModel)
            and nested is not (DistributionModel)
        ):
            columns += _fields(nested, f"{prefix}{name}.")
        else:
            columns.append(_column(f"{prefix}{name}", field))
    return columns


def _ref(header: str, what: str) -> Column:
    return Column(header, "ref", description=f"Name of the {what} this row belongs to.")


def _site_columns() -> list[Column]:
    return _fields(SiteFields)


@cache
def criteria() -> tuple[str, ...]:
    from sourcewise.domain.criteria import NAMES

    return NAMES


@cache
def table_columns(sheet: str) -> tuple[Column, ...]:
    """The columns of a table sheet, in the order the writer lays them out."""
    match sheet:
        case "functions":
            columns = _fields(FunctionModel, skip=("options", "weights", "ahp"))
        case "options":
            own = _fields(OptionModel, skip=("parts",))
            site = {c.header for c in _site_columns()}
            columns = [
                _ref("function", "function"),
                *[c for c in own if c.header == "name"],
                *_site_columns(),
                *[c for c in own if c.header not in site and c.header != "name"],
            ]
        case "parts":
            share = _fields(PartModel)
            columns = [
                _ref("function", "function"),
                _ref("option", "option, on the options sheet,"),
                *[c for c in share if c.header == "share"],
                *_site_columns(),
            ]
        case "weights":
            weight = FunctionModel.model_fields["weights"].description or ""
            columns = [
                _ref("function", "function"),
                *[Column(name, "number", description=weight, low=0) for name in criteria()],
            ]
        case "ahp":
            judgement = FunctionModel.model_fields["ahp"].description or ""
            columns = [
                _ref("function", "function"),
                Column("criterion", "text", "The criterion judged more important.", "criteria"),
                Column("over", "text", "The criterion it is compared with.", "criteria"),
                Column(
                    "judgement",
                    "number",
                    f"How many times as important, 1-9 (Saaty's scale). {judgement}",
                    low=0,
                ),
            ]
        case "indicators":
            columns = _fields(IndicatorModel)
        case "correlations":
            between = CorrelationModel.model_fields["between"].description or ""
            columns = [
                Column("between.0", "text", f"First input. {between}"),
                Column("between.1", "text", "Second input, by field path."),
                *_fields(CorrelationModel, skip=("between",)),
            ]
        case _:
            raise KeyError(sheet)
    return tuple(columns)


@cache
def record_fields(sheet: str) -> tuple[Column, ...]:
    models: dict[str, type[BaseModel]] = {"company": CompanyModel, "portfolio": PortfolioModel}
    return tuple(_fields(models[sheet]))


# --- lists behind the drop-downs -----------------------------------------------------------


def enum_types() -> dict[str, type[enum.Enum]]:
    found: dict[str, type[enum.Enum]] = {}
    for model in (FunctionModel, OptionModel, GoodsTermsModel, GoodsModel, GoalsModel):
        for field in model.model_fields.values():
            base = _base(field.annotation)
            if isinstance(base, type) and issubclass(base, enum.Enum):
                found[base.__name__] = base
    return found


def choice_lists() -> dict[str, list[str]]:
    """Every drop-down's values, by list name: enums, codes, criteria and booleans."""
    import pycountry

    from sourcewise.adapters.country_table import load_countries
    from sourcewise.domain.indicators import Indicator

    lists = {name: [str(m.value) for m in kind] for name, kind in enum_types().items()}
    lists["countries"] = sorted(load_countries())
    lists["currencies"] = sorted(c.alpha_3 for c in pycountry.currencies)
    lists["indicators"] = [str(i) for i in Indicator]
    lists["criteria"] = list(criteria())
    lists["booleans"] = ["TRUE", "FALSE"]
    lists["distributions"] = list(DISTRIBUTIONS)
    return lists


# --- uncertain numbers as text --------------------------------------------------------------

POSITIONAL = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "empirical": (),
}
_NAMED = ("low", "high")  # normal's truncation, written by name


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly ``value``."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def distribution_text(model: DistributionModel) -> str:
    """``triangular(16.5, 18, 20, source="RFP")``: parameters in order, then the named ones."""
    dist = model.dist
    if dist == "empirical":
        args = [number_text(v) for v in model.values or ()]
    else:
        args = [number_text(getattr(model, name)) for name in POSITIONAL[dist]]
    if dist == "normal":
        args += [
            f"{name}={number_text(getattr(model, name))}"
            for name in _NAMED
            if getattr(model, name) is not None
        ]
    if model.source:
        args.append('source="' + model.source.replace('"', '""') + '"')
    return f"{dist}({', '.join(args)})"


_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"]|"")*")|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)'
    r"|(?P<name>[A-Za-z_]\w*)|(?P<punct>[(),=]))"
)
LOOKS_LIKE_DISTRIBUTION = re.compile(r"^\s*[A-Za-z_]\w*\s*\(")


class DistributionSyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, at = [], 0
    while at < len(text.rstrip()):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise DistributionSyntaxError(f"cannot read '{text[at:].strip()[:20]}'")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        at = match.end()
    return tokens


def parse_distribution(text: str) -> dict[str, Any]:
    """``triangular(16.5, 18, 20, source="RFP")`` as the mapping the YAML format takes.

    Raises DistributionSyntaxError with a reader's message; the parameters' values are checked
    later by the scenario model, like those of a YAML file.
    """
    tokens = _tokens(text)
    example = "e.g. triangular(10, 12, 15)"
    if len(tokens) < 3 or tokens[0][0] != "name" or tokens[1] != ("punct", "("):
        raise DistributionSyntaxError(f"expected a distribution such as {example}")
    dist = tokens[0][1].lower()
    if dist not in POSITIONAL:
        raise DistributionSyntaxError(
            f"unknown distribution '{dist}'; one of {', '.join(POSITIONAL)}"
        )
    if tokens[-1] != ("punct", ")"):
        raise DistributionSyntaxError("expected ')' at the end")
    result: dict[str, Any] = {"dist": dist}
    positional: list[float] = []
    items = tokens[2:-1]
    groups: list[list[tuple[str, str]]] = [[]]
    for token in items:
        if token == ("punct", ","):
            groups.append([])
        else:
            groups[-1].append(token)
    if groups == [[]]:
        groups = []
    for group in groups:
        if len(group) == 1 and group[0][0] == "number":
            if len(result) > 1:
                raise DistributionSyntaxError("a number follows a named parameter")
            positional.append(float(group[0][1]))
        elif len(group) == 3 and group[0][0] == "name" and group[1] == ("punct", "="):
            key, (kind, raw) = group[0][1], group[2]
            if key in result:
                raise DistributionSyntaxError(f"'{key}' is given twice")
            if key == "source":
                if kind != "string":
                    raise DistributionSyntaxError('source takes quoted text: source="..."')
                result[key] = raw[1:-1].replace('""', '"')
            elif kind == "number":
                result[key] = float(raw)
            else:
                raise DistributionSyntaxError(f"{key} takes a number")
        else:
            shown = " ".join(raw for _, raw in group) or "nothing"
            raise DistributionSyntaxError(f"cannot read the parameter '{shown}'")
    if dist == "empirical":
        if positional:
            result["values"] = positional
        return result
    names = POSITIONAL[dist]
    if len(positional) > len(names):
        raise DistributionSyntaxError(
            f"{dist} takes {len(names)} numbers ({', '.join(names)}), got {len(positional)}"
        )
    for name, number in zip(names, positional, strict=False):
        if name in result:
            raise DistributionSyntaxError(f"'{name}' is given twice")
        result[name] = number
    return result


# --- lists in one cell ----------------------------------------------------------------------


def list_text(items: list[str]) -> str:
    """Items one per line when any holds a comma (function names may), else comma-separated.
    A single item with a comma ends with a line break, so that it reads back as one item."""
    if not items:
        return EMPTY_LIST
    strings = [str(i) for i in items]
    if not any("," in s for s in strings):
        return ", ".join(strings)
    return "\n".join(strings) + ("\n" if len(strings) == 1 else "")


def parse_list(text: str) -> list[str]:
    if text.strip() == EMPTY_LIST:
        return []
    separator = "\n" if "\n" in text else ","
    return [item.strip() for item in text.split(separator) if item.strip()]
