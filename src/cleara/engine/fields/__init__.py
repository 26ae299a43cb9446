"""Field types: one module per type, each exposing `FIELD`. See `base.py` for the contract."""
