"""Pure helpers of the SQL item store: cursors and prefix bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleara.store.base import StoreError
from cleara.store.sql.item_store import (
    SqlItemStore,
    decode_cursor,
    encode_cursor,
    prefix_upper_bound,
)

# Text as a database can store it: no NUL, no lone surrogates.
_keys = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8)


@given(_keys)
def test_cursor_round_trips(sk: str) -> None:
    assert decode_cursor(encode_cursor(sk)) == sk


@given(_keys.filter(bool), _keys)
def test_prefix_bound_separates_matches(prefix: str, text: str) -> None:
    upper = prefix_upper_bound(prefix)
    if text.startswith(prefix):
        assert upper is None or prefix <= text < upper
    elif text >= prefix:
        assert upper is not None
        assert text >= upper


def test_prefix_bound_skips_surrogates_and_overflows() -> None:
    assert prefix_upper_bound("a\ud7ff") == "a\ue000"
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("\U0010ffff") is None


def test_unreachable_database_raises_store_error() -> None:
    store = SqlItemStore.from_url("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(StoreError, match="database error"):
        store.ping()
    store.close()
