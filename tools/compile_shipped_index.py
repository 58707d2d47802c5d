"""Compile the shipped data (`data/`) into `src/ocindex/shipped-index.json`.

The compiled index records the digest of every file it was made from, so it is used only
while the files are exactly those; run this after changing `data/` (a test fails until
then). Usage: python tools/compile_shipped_index.py
"""

from ocindex import store


def main() -> None:
    snapshot = store.read_snapshot(store.SOURCE_TREE_DATA)
    compiled = store.compile_snapshot(snapshot)
    store.write_atomically(store.SHIPPED_INDEX, store.compiled_json(compiled))
    print(f"{store.SHIPPED_INDEX}: {len(compiled['countries'])} countries")


if __name__ == "__main__":
    main()
