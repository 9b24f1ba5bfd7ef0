# Sourced by the scripts: tools installed by scripts/setup on PATH, and no update checks.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
