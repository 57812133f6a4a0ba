import sys

from .cli import main

if __name__ == "__main__":  # also imported by the processes that parse exports in parallel
    sys.exit(main())
