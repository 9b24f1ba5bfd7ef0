"""Groups twiggy's `top -f csv` rows of a wasm file with function names by crate.

usage: python3 bench/wasm-crates.py top.csv [N]   (N: also list the N largest items)

A generic function is counted where its code comes from: `<quire::X as serde::Deserialize>`
is quire's, `core::ptr::drop_in_place<leptos::Y>` is core's. The names section and the
debug sections are left out of the sums, as the release build has none of them.
"""

import collections
import csv
import re
import sys

NOT_A_CRATE = {"T", "F", "A", "B", "I", "K", "V", "S", "R", "E", "Fut", "impl", "dyn"}


def crate_of(name: str) -> str:
    m = re.match(r"^<(.*?) as (.*?)>::", name)
    candidates = [m.group(1), m.group(2)] if m else [name]
    for i, c in enumerate(candidates):
        c = re.sub(r"^[<&*\s]*(mut |const |dyn )?", "", c)
        word = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", c)
        if not word:
            continue
        k = word.group(1)
        if k in NOT_A_CRATE or k[0].isupper():
            continue
        # `<alloc::vec::Vec<T> as SomeCrate::Trait>`: the trait's crate wrote the code.
        if k in ("alloc", "core", "std") and i < len(candidates) - 1:
            continue
        return k
    return "(other)"


def main() -> None:
    rows = list(csv.DictReader(open(sys.argv[1])))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    by_crate = collections.Counter()
    items = []
    for row in rows:
        name, size = row["Name"], int(row["ShallowSize"])
        if name.startswith("custom section") or "subsection" in name:
            continue
        if name.startswith("data segment"):
            key = "(data segments)"
        elif re.match(r"^(code|elem|table|type|import|export|global|memory)\[", name):
            key = "(wasm tables: " + name.split("[")[0] + ")"
        else:
            key = crate_of(name)
        by_crate[key] += size
        items.append((size, name))
    total = sum(by_crate.values())
    print(f"\n{'bytes':>8}  share  crate (code and data, without names and debug sections)")
    for key, size in by_crate.most_common():
        if size * 1000 < total:
            break
        print(f"{size:8d} {100 * size / total:5.1f}%  {key}")
    print(f"{total:8d} 100.0%  total")
    if top:
        print(f"\nlargest {top} items:")
        for size, name in sorted(items, reverse=True)[:top]:
            print(f"{size:8d}  {name[:160]}")


if __name__ == "__main__":
    main()
