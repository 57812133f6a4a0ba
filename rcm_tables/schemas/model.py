"""How a frame's columns are declared and checked: `Field`, the models' base, pandera's schema built on first
use (`schema`) and the proof without pandera that a frame is valid (`surely_valid`). The models themselves are in
`inputs` (the exports, the ledger, the reference workbook, the activities register) and `tables` (the report's
tables); `rcm_tables.schemas` gathers them all.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the annotations name pandera's types, as a DataFrameModel's would; never imported to run
    import pandera.pandas as pa
    from pandera.typing import Series


class Field:
    """A column's constraints, with pandera's `Field` arguments (``ge``, ``le``, ``isin``, ``str_matches``,
    ``str_length``, ``nullable``, ``unique``, ``metadata``)."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.nullable = bool(kwargs.get("nullable", False))
        self.unique = bool(kwargs.get("unique", False))
        self.metadata = kwargs.get("metadata")
        # pandera's built-in check each argument makes, with its statistics
        self.checks = [(_CHECK_NAMES[k], v if k == "str_length" else {_CHECK_STATISTIC[k]: v})
                       for k, v in kwargs.items() if k in _CHECK_NAMES]


_CHECK_NAMES = {"ge": "greater_than_or_equal_to", "le": "less_than_or_equal_to", "isin": "isin",
                "str_matches": "str_matches", "str_length": "str_length"}
_CHECK_STATISTIC = {"ge": "min_value", "le": "max_value", "isin": "allowed_values", "str_matches": "pattern"}
# the annotation of each column (``Series[...]``) -> the dtype pandas gives it (`dtype_names`)
_DTYPES = {"str": "str", "pd.Int64Dtype": "Int64", "pa.DateTime": "datetime64[ns]", "int": "int64",
           "float": "float64"}


class _Base:
    """A frame's columns: each annotated attribute is its column's name, as on a pandera DataFrameModel."""

    class Config:
        strict = True
        ordered = False
        unique: list[str] | None = None

    __columns__: dict[str, tuple[str, Field]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        columns = dict(cls.__columns__)  # a subclass adds its columns after its parent's
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if not (isinstance(annotation, str) and annotation.startswith("Series[")):
                continue
            field = cls.__dict__.get(name)
            columns[name] = (annotation[len("Series["):-1], field if isinstance(field, Field) else Field())
            setattr(cls, name, name)
        cls.__columns__ = columns

    @classmethod
    def validate(cls, frame: pd.DataFrame, lazy: bool = False) -> pd.DataFrame:
        """pandera's validation of ``frame`` (`SchemaError`, or `SchemaErrors` with ``lazy``)."""
        return schema(cls).validate(frame, lazy=lazy)


MONEY = {"unit": "USD cents"}


def money(**kwargs):
    """A money column: int64 cents (see `rcm_tables.money`); the writers show it in dollars."""
    return Field(metadata=MONEY, **kwargs)


def described(description: str, **kwargs):
    """A column with its meaning: one sentence saying what it holds, its unit and its form (the reference
    workbook's input messages and the data dictionary show it)."""
    return Field(description=description, **kwargs)


@functools.cache
def schema(model: type[_Base]):
    """A model's pandera schema (pandera imported here, on first use), built once: building it takes longer
    than validating a month of lines. The same schema as the model written as a pandera DataFrameModel."""
    import pandera.pandas as pa
    from pandera.typing import Series

    kinds = {"str": str, "pd.Int64Dtype": pd.Int64Dtype, "pa.DateTime": pa.DateTime, "int": int, "float": float}
    config = {k: v for k, v in vars(model.Config).items() if not k.startswith("_")}
    for base in reversed(model.Config.__mro__[1:]):
        config = {**{k: v for k, v in vars(base).items() if not k.startswith("_")}, **config}
    namespace = {"__annotations__": {name: Series[kinds[kind]] for name, (kind, _f) in model.__columns__.items()},
                 "__module__": model.__module__, "__doc__": model.__doc__,
                 "Config": type("Config", (), config)}
    namespace.update({name: pa.Field(**field.kwargs) for name, (_k, field) in model.__columns__.items()})
    return type(model.__name__, (pa.DataFrameModel,), namespace).to_schema()


# Each column kind -> the dtypes pandera accepts for it (its Engine's check, asked of the dtypes pandas and
# this toolkit use; `tests/test_schemas_fast.py` asks pandera again): no import of pandera to prove a frame valid
_ACCEPTED = {
    "str": (np.dtype(object), pd.StringDtype("pyarrow", na_value=np.nan), pd.StringDtype("pyarrow")),
    "pd.Int64Dtype": (pd.Int64Dtype(), np.dtype("int64")),
    "int": (pd.Int64Dtype(), np.dtype("int64")),
    "float": (np.dtype("float64"), pd.Float64Dtype()),
    "pa.DateTime": (np.dtype("datetime64[ns]"), np.dtype("datetime64[us]"), np.dtype("datetime64[s]")),
}


def dtypes_match(model: type[_Base], frame: pd.DataFrame) -> bool:
    """True when every column has exactly the model's dtype, as pandera itself decides it (a dtype it is not
    known to accept is False: pandera is then asked)."""
    present = dict(zip(frame.columns, frame.dtypes))
    for name, (kind, _field) in model.__columns__.items():
        dtype = present.get(name)
        if dtype is None or not any(_same_dtype(dtype, ok) for ok in _ACCEPTED[kind]):
            return False
    return True


def _same_dtype(a, b) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except TypeError:
        return False


def dtype_names(model: type[_Base]) -> dict[str, str]:
    """Each column's dtype as pandas names it (``int64``, ``float64``, ``str``, ``Int64``, ``datetime64[ns]``)."""
    return {name: _DTYPES[kind] for name, (kind, _field) in model.__columns__.items()}


# pandera's built-in checks, computed as pandera computes them (pandera/backends/pandas/builtin_checks.py)
_BUILTIN_CHECKS = {
    "isin": lambda data, allowed_values: data.isin(allowed_values),
    "str_matches": lambda data, pattern: data.str.match(pattern, na=False),
    "str_length": lambda data, min_value=None, max_value=None, exact_value=None: (
        (data.str.len() == exact_value) if exact_value is not None else
        ((data.str.len() >= (min_value if min_value is not None else 0))
         & (data.str.len() <= (max_value if max_value is not None else float("inf"))))),
    "greater_than_or_equal_to": lambda data, min_value: data >= min_value,
    "less_than_or_equal_to": lambda data, max_value: data <= max_value,
}


def surely_valid(model: type[_Base], frame: pd.DataFrame) -> bool:
    """True only when pandera would find nothing wrong with ``frame``: right dtypes, every check passes.

    A month of clean lines is checked in a few vectorised operations instead of pandera's per-column machinery;
    False means "ask pandera", which then finds and words the failures (anything this does not know, such as
    another kind of check, is left to pandera too).
    """
    columns = model.__columns__
    if model.Config.unique or set(frame.columns) != set(columns) or not dtypes_match(model, frame):
        return False
    try:
        for name, (_kind, field) in columns.items():
            data = frame[name]
            has_na = bool(data.hasnans)
            if (has_na and not field.nullable) or (field.unique and data.duplicated().any()):
                return False
            for check, statistics in field.checks:
                fn = _BUILTIN_CHECKS.get(check)
                if fn is None:
                    return False
                passed = fn(data, **statistics)
                if has_na:  # pandera's checks ignore missing values
                    passed = passed.fillna(False).astype(bool) | data.isna()
                if not passed.all():
                    return False
    except (TypeError, ValueError):  # values a vectorised check cannot compare: pandera words the failure
        return False
    return True


def surely_valid_values(model: type[_Base], frame: pd.DataFrame, known: dict[str, tuple[bool, set | None]]) -> bool:
    """`surely_valid` for a frame whose builder knows, of each column, whether it holds a missing value and its
    distinct other values (None: not known; needed for the columns with checks): each check is asked of the
    distinct values instead of every cell, in plain Python where the answer is the same (``isin`` of text among
    text, ``ge``/``le`` of whole numbers, ``str_length`` of text), through pandas as pandera asks it otherwise. False
    means "ask `surely_valid` or pandera"."""
    columns = model.__columns__
    if model.Config.unique or set(frame.columns) != set(columns) or set(known) != set(columns) \
            or not dtypes_match(model, frame):
        return False
    try:
        for name, (_kind, field) in columns.items():
            has_na, distinct = known[name]
            if (has_na and not field.nullable) or field.unique or (field.checks and distinct is None):
                return False
            for check, statistics in field.checks:
                if not _distinct_pass(check, statistics, distinct, frame[name].dtype):
                    return False
    except (TypeError, ValueError):  # values a check cannot compare: pandera words the failure
        return False
    return True


def _distinct_pass(check: str, statistics: dict, distinct: set, dtype) -> bool:
    """Whether every one of ``distinct`` (no missing value among them) passes the check, as pandera would find."""
    text = all(v.__class__ is str for v in distinct)
    if check == "isin" and text and all(v.__class__ is str for v in statistics["allowed_values"]):
        return distinct <= set(statistics["allowed_values"])
    if check in ("greater_than_or_equal_to", "less_than_or_equal_to") and all(v.__class__ is int for v in distinct) \
            and next(iter(statistics.values())).__class__ is int:
        bound = next(iter(statistics.values()))
        return all(v >= bound for v in distinct) if check == "greater_than_or_equal_to" else \
            all(v <= bound for v in distinct)
    if check == "str_length" and text:
        low, high, exact = (statistics.get(k) for k in ("min_value", "max_value", "exact_value"))
        lengths = set(map(len, distinct))
        return (lengths <= {exact} if exact is not None else
                all((low if low is not None else 0) <= n <= (high if high is not None else float("inf"))
                    for n in lengths))
    fn = _BUILTIN_CHECKS.get(check)
    if fn is None:
        return False
    # the check of each value, asked once per process (the checks are of each value alone: a month's G/L accounts
    # and currencies are last month's)
    key = (check, repr(sorted(statistics.items())), dtype)
    seen = _VERDICTS.setdefault(key, {})
    new = [v for v in distinct if v not in seen]
    if new:
        if len(seen) > _MOST_VERDICTS:
            seen.clear()
        seen.update(zip(new, fn(pd.Series(new, dtype=dtype), **statistics).tolist()))
    return all(seen[v] is True for v in distinct)


_VERDICTS: dict[tuple, dict] = {}  # (check, statistics, dtype) -> {value: whether it passes}
_MOST_VERDICTS = 100_000


def checked_columns(model: type[_Base]) -> frozenset[str]:
    """The model's columns with a check of their values (`surely_valid_values` needs their distinct values)."""
    return frozenset(name for name, (_k, field) in model.__columns__.items() if field.checks)


def money_columns(model: type[_Base]) -> tuple[str, ...]:
    """The model's money columns (int64 cents), in declaration order."""
    return tuple(name for name, (_k, field) in model.__columns__.items() if (field.metadata or {}) == MONEY)


def date_columns(model: type[_Base]) -> tuple[str, ...]:
    """The model's date columns, in declaration order."""
    return tuple(name for name, (kind, _f) in model.__columns__.items() if kind == "pa.DateTime")


def description(model: type[_Base], column: str) -> str:
    """What a column means (its pandera ``description``): one sentence with its unit and form."""
    return model.__columns__[column][1].kwargs.get("description") or ""  # without pandera


def columns(model: type[_Base]) -> list[str]:
    """Column names of a model, in declaration order."""
    return list(model.__columns__)
