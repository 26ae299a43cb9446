"""Lexicons: the shipped word lists are the ones the build rebuilds."""

from __future__ import annotations

from importlib import resources

from cleara.engine.schema.lexicons import lexicon_text


def test_the_shipped_lexicon_file_is_what_the_build_writes() -> None:
    """Training writes `schema_lexicons.tsv`; the shipped copy must match a rebuild, so
    features at detection time read the lists the model was trained with."""
    rebuilt = lexicon_text()
    shipped = resources.files("cleara.engine.data").joinpath("schema_lexicons.tsv")
    assert shipped.read_text("utf-8") == rebuilt
    names = {line.partition("\t")[0] for line in rebuilt.splitlines()}
    assert {"first_names", "city_names", "state_codes"} <= names
