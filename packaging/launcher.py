"""Entry script of the PyInstaller bundle: the same ``ringkas`` command as the console script."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # A frozen program re-executes itself for multiprocessing workers; this stops a worker
    # from starting a second copy of the app.
    multiprocessing.freeze_support()
    sys.exit(main())
