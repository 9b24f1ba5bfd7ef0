#!/usr/bin/env bash
# Builds the browser app exactly as `trunk build --release` does (cargo → wasm-bindgen →
# wasm-opt with the level and parameters of index.html's `<link data-trunk rel="rust">`), in
# its own target folder, and prints raw / gzip -9 / brotli -q 11 bytes of the wasm (the main
# module), its JS glue and its route chunks. Nothing in dist/ is touched.
#
#   bench/wasm-size.sh                  sizes of the release build
#   bench/wasm-size.sh --crates         also: which crates the bytes belong to (a build with
#                                       function names, profiled with twiggy)
#   bench/wasm-size.sh --top 40         also: the 40 largest functions and data segments
#
# Cargo's profile can be varied through the environment without editing Cargo.toml, e.g.
#   CARGO_PROFILE_RELEASE_OPT_LEVEL=s bench/wasm-size.sh
#   WASM_OPT_LEVEL=s WASM_OPT_EXTRA="--converge" bench/wasm-size.sh
# CARGO_TARGET_DIR defaults to target-size/ beside the repository (not the shared target/,
# so measuring never invalidates anyone's build). QUIRE_FEATURES replaces the app's
# default features (e.g. QUIRE_FEATURES=csr).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

crates=false
top=0
while [ $# -gt 0 ]; do
    case "$1" in
        --crates) crates=true ;;
        --top) top="$2"; shift ;;
        *) echo "usage: bench/wasm-size.sh [--crates] [--top N]" >&2; exit 2 ;;
    esac
    shift
done
[ "$top" -gt 0 ] && crates=true

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target-size}"
for tool in cargo wasm-bindgen wasm-opt gzip node python3; do
    command -v "$tool" >/dev/null || { echo "bench/wasm-size.sh: $tool is missing (run scripts/setup)" >&2; exit 1; }
done

# The rust link of index.html: what Trunk passes to wasm-opt.
link=$(tr '\n' ' ' <index.html | grep -o '<link data-trunk rel="rust"[^>]*>')
opt_level="${WASM_OPT_LEVEL:-$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' <<<"$link")}"
opt_params="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' <<<"$link") ${WASM_OPT_EXTRA:-}"
bin="$(sed -n 's/.*data-bin="\([^"]*\)".*/\1/p' <<<"$link")"

features=()
if [ -n "${QUIRE_FEATURES:-}" ]; then
    features=(--no-default-features --features "$QUIRE_FEATURES")
fi

out="$CARGO_TARGET_DIR/wasm-size"
rm -rf "$out" && mkdir -p "$out"

if $crates; then
    # Function names survive every step: not stripped, kept by wasm-bindgen and wasm-opt (-g).
    # wasm-opt may optimise a little differently with names; the section is left out of the sums.
    export CARGO_PROFILE_RELEASE_STRIP=false
    keep=(--keep-debug)
    opt_g=(-g)
else
    keep=()
    opt_g=()
fi

cargo build --quiet --release --target=wasm32-unknown-unknown --bin "$bin" "${features[@]}"
wasm-bindgen --target=web --no-typescript "${keep[@]}" --out-dir="$out" --out-name="$bin" \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$bin.wasm"
before=$(stat -c %s "$out/${bin}_bg.wasm")
# shellcheck disable=SC2086 # the parameters are a word list, as Trunk splits them
wasm-opt --output="$out/${bin}_opt.wasm" "-O$opt_level" "$out/${bin}_bg.wasm" $opt_params "${opt_g[@]}"

# brotli q11: the brotli tool when there is one, else Node's zlib (the same encoder).
brotli_size() {
    if command -v brotli >/dev/null; then
        brotli -q 11 -c "$1" | wc -c
    else
        node -e 'const z = require("zlib"), fs = require("fs");
            const q = { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } };
            console.log(z.brotliCompressSync(fs.readFileSync(process.argv[1]), q).length)' "$1"
    fi
}
sizes() {
    printf '%-22s raw %8d  gzip %7d  brotli %7d\n' "$1" "$(stat -c %s "$2")" \
        "$(gzip -9c "$2" | wc -c)" "$(brotli_size "$2")"
}
echo "wasm-opt -O$opt_level: $before -> $(stat -c %s "$out/${bin}_opt.wasm") bytes"
if $crates; then
    echo "(a build with function names: the sizes include them; without --crates they do not)"
fi
sizes "wasm" "$out/${bin}_opt.wasm"
sizes "js glue" "$out/$bin.js"
cat "$out/${bin}_opt.wasm" "$out/$bin.js" >"$out/both"
sizes "wasm + js (one file)" "$out/both"
# The route chunks the wasm32 linker cut off the app (scripts/wasm-ld, src/chunks.rs): loaded
# when a page needs them, never on a post's first view. Optimised as finalize does.
# scripts/wasm-ld keeps each link artifact's chunks beside its main module: this build's are
# those whose main.wasm is the module cargo reports.
split=""
for dir in "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/wasm-split/$bin"{,-*}/; do
    if [ -f "$dir/main.wasm" ] && cmp -s "$dir/main.wasm" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$bin.wasm"; then
        split="${dir%/}"
    fi
done
if [ -n "$split" ]; then
    for chunk in "$split"/*.wasm; do
        name=$(basename "$chunk" .wasm)
        [ "$name" = main ] && continue
        # shellcheck disable=SC2086
        # (wasm-opt warns that it does not know one part of the splitter's name section.)
        wasm-opt --output="$out/chunk-$name.wasm" "-O$opt_level" "$chunk" $opt_params "${opt_g[@]}" \
            2> >(grep -v 'unknown name subsection' >&2)
        sizes "chunk ${name#split_}" "$out/chunk-$name.wasm"
    done
fi

if $crates; then
    if ! command -v twiggy >/dev/null; then
        cargo install --quiet --locked twiggy --version 0.8.0
    fi
    twiggy top -f csv "$out/${bin}_opt.wasm" >"$out/top.csv"
    python3 bench/wasm-crates.py "$out/top.csv" "$top"
fi
