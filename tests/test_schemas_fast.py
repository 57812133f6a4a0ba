"""The models without pandera: the same schemas as pandera's DataFrameModels gave, dtypes judged as pandera judges
them, and a build of valid inputs that never imports pandera (a quarter of a second of every start-up)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pandera.engines.pandas_engine import Engine

from rcm_tables import schemas as S

MODELS = [m for m in vars(S).values() if isinstance(m, type) and issubclass(m, S._Base) and m is not S._Base]
DTYPES = [np.dtype(object), pd.StringDtype("pyarrow", na_value=np.nan), pd.StringDtype("python", na_value=np.nan),
          pd.StringDtype("python"), pd.StringDtype("pyarrow"), pd.Int64Dtype(), np.dtype("int64"), np.dtype("int32"),
          np.dtype("float64"), pd.Float64Dtype(), np.dtype("datetime64[ns]"), np.dtype("datetime64[us]"),
          np.dtype("datetime64[s]"), pd.DatetimeTZDtype("ns", "UTC"), np.dtype(bool), pd.CategoricalDtype()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_dtypes_are_judged_as_pandera_judges_them(model):
    """Of pandas' usual dtypes, exactly those pandera's engine accepts for each column (a dtype this did not
    know would only go the slow way, through pandera; one pandera refuses must never pass)."""
    for name, column in S.schema(model).columns.items():
        accepted = [d for d in DTYPES if column.dtype.check(Engine.dtype(d)) is True]
        kind = model.__columns__[name][0]
        assert [d for d in DTYPES if any(S._same_dtype(d, ok) for ok in S._ACCEPTED[kind])] == accepted, name
    assert not S.dtypes_match(model, pd.DataFrame())  # a missing column never matches


def test_a_frame_of_the_models_dtypes_is_proven_valid_without_pandera():
    frame = pd.DataFrame({"country": ["Canada"], "share_pct": [60.0], "assessed_usd": [600]})
    assert S.dtypes_match(S.Annex1, frame) and S.surely_valid(S.Annex1, frame)
    assert not S.dtypes_match(S.Annex1, frame.astype({"assessed_usd": "float64"}))
    assert S.Annex1.validate(frame) is not None  # pandera, as a DataFrameModel's validate


def test_a_build_of_valid_inputs_never_imports_pandera(tmp_path):
    code = ("import sys; from rcm_tables.cli import main; "
            f"code = main(['build', '--out', {str(tmp_path / 'r.xlsx')!r}, '--no-cache']); "
            "print(code, 'pandera' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["0", "False"]


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["init", "--help"], ["--version"]])
def test_help_and_version_answer_without_importing_pandas(args):
    """The parser is built from light modules only: `rcm-tables --help` must not wait for pandas (0.5 s)."""
    code = ("import sys; from rcm_tables.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "print('PANDAS', 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage:" in done.stdout or "rcm-tables" in done.stdout
    assert done.stdout.split()[-2:] == ["PANDAS", "False"]


def test_the_quick_proof_never_passes_a_missing_value_or_a_duplicate_that_pandera_refuses():
    import pandera.pandas as pa

    # (a share may be missing: Annex 1 prints NA; a country may not)
    missing = pd.DataFrame({"country": pd.array(["Canada", None], dtype="str"), "share_pct": [60.0, np.nan],
                            "assessed_usd": [600, 400]})
    twice = pd.DataFrame({"partner": ["Canada", "Canada"], "kind": ["member", "member"], "aliases": ["", ""]})
    for model, frame in ((S.Annex1, missing), (S.Partners, twice)):
        assert S.dtypes_match(model, frame)  # the right dtypes: only the values are wrong
        with pytest.raises(pa.errors.SchemaError):
            model.validate(frame)
        assert not S.surely_valid(model, frame), model.__name__
