"""`cleara train ...`: rebuild the shipped model artifacts reproducibly from a seed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cleara.cli.common import report_errors

train_app = typer.Typer(help="Rebuild model artifacts.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `train` command group to `app`."""
    app.add_typer(train_app, name="train")


@train_app.command("schema")
def train_schema_command(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic training data.")] = 20240601,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the artifacts; default: the package's data folder."),
    ] = None,
    train_per_type: Annotated[int, typer.Option(min=1, help="Training columns per type.")] = 900,
    eval_per_type: Annotated[
        int, typer.Option(min=1, help="Validation and test columns per type.")
    ] = 20,
    combine_per_type: Annotated[
        int, typer.Option(min=1, help="Columns per type the header/value combination is fitted on.")
    ] = 100,
    rounds: Annotated[int, typer.Option(min=1, help="Boosting rounds (at most).")] = 400,
    embed_head: Annotated[
        bool,
        typer.Option("--embed-head/--no-embed-head", help="Also train the MiniLM value head."),
    ] = False,
) -> None:
    """Train the schema detector (value classifiers + header/value combination)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from cleara.engine.schema.train import TrainConfig, train_schema

    with report_errors():
        try:
            import lightgbm  # noqa: F401
        except ImportError as exc:
            raise ValueError("training needs lightgbm, scikit-learn and scipy installed") from exc
        config = TrainConfig(
            seed=seed,
            train_per_type=train_per_type,
            eval_per_type=eval_per_type,
            combine_per_type=combine_per_type,
            rounds=rounds,
            embed_head=embed_head,
            out=out,
            log=lambda message: typer.echo(message, err=True),
        )
        card = train_schema(config)
    typer.echo(card.to_json(), nl=False)
