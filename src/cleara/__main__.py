"""`python -m cleara` runs the command line."""

from __future__ import annotations

from cleara.cli.main import main

if __name__ == "__main__":
    main()
