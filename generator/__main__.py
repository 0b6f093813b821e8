"""`python -m generator …` is the `brief` command."""

from .run.cli import main

if __name__ == "__main__":  # not when multiprocessing re-imports this module in a worker
    main()
