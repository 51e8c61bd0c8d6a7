"""The `callcheck` command installed by the Python package: the same command line as the binary."""

import sys

from callcheck._callcheck import run_cli


def main() -> None:
    """Runs `callcheck` with this process's arguments and exits with its status."""
    sys.exit(run_cli(sys.argv[1:]))


if __name__ == "__main__":
    main()
