"""Reading records and DataFrames into the engine's table shape."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cleara.engine.table import InputError, to_table


def test_columns_are_the_union_of_keys_in_first_seen_order():
    table = to_table([{"a": 1}, {"b": "x", "a": None}])
    assert table.columns == ["a", "b"]
    assert table.rows == [{"a": 1}, {"b": "x", "a": None}]


def test_dataframe_scalars_become_json_scalars():
    frame = pd.DataFrame(
        {
            "n": np.array([1, 2], dtype="int64"),
            "f": [1.5, float("nan")],
            "d": [dt.date(2021, 1, 2)] * 2,
        }
    )
    table = to_table(frame)
    assert table.rows[0] == {"n": 1, "f": 1.5, "d": "2021-01-02"}
    assert table.rows[1]["f"] is None
    assert type(table.rows[0]["n"]) is int


def test_nested_values_name_row_and_column():
    with pytest.raises(InputError) as caught:
        to_table([{"a": 1}, {"a": {"nested": True}}])
    assert caught.value.row == 1
    assert caught.value.column == "a"
    assert "row 1" in str(caught.value)


def test_a_single_mapping_is_rejected():
    with pytest.raises(InputError, match="list of records"):
        to_table({"a": 1})


@pytest.mark.parametrize("value", [None, 7])
def test_a_value_that_is_no_list_is_named(value):
    with pytest.raises(
        InputError, match=f"list of records \\(objects\\), got {type(value).__name__}"
    ):
        to_table(value)


def test_non_mapping_rows_are_rejected():
    with pytest.raises(InputError, match="expected an object"):
        to_table([{"a": 1}, ["x"]])
