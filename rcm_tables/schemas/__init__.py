"""The one place where column names are defined: input headers, the ledger, and every output table.

Input sheets are matched by their display headers (trimmed, case-insensitive); inside the toolkit every
frame uses the snake_case names of the models below. Money columns hold int64 cents.

The models are written as pandera's DataFrameModels are (``name: Series[dtype] = Field(...)``) but are plain
classes: pandera takes a quarter of a second to import, and a build whose inputs are valid never needs it.
`schema` builds the pandera schema from a model on first use (to validate and word what fails); `surely_valid`
proves a frame valid without it.

By role: `model` (the machinery), `inputs` (exports, ledger, reference workbook, activities register), `tables`
(the report's tables). Everyone imports them from here: ``from rcm_tables import schemas as S``.
"""
from __future__ import annotations

from .inputs import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .model import _ACCEPTED, _BUILTIN_CHECKS, _Base, _same_dtype  # noqa: F401  (the tests ask for them)
from .tables import *  # noqa: F401,F403
