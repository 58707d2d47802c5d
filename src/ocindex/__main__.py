"""`python -m ocindex` and the `ocindex` console script.

A run of the command lasts a fraction of a second and creates tens of thousands of
objects but almost no reference cycles, so the cyclic garbage collector is switched off
before anything is imported: its collections would cost a tenth of the start-up time.
(Reference counting still frees memory as usual; the library itself leaves GC alone.)
"""

import gc


def main() -> None:
    gc.disable()
    from ocindex.cli import main as run

    run()


if __name__ == "__main__":
    main()
