#!/bin/sh
# Runs a Windows program under Wine (ctest's emulator for the MinGW build):
# quiet, in a prefix of its own that the first run creates (about 10 s).
# Wine's exit status is the program's.
: "${WINEPREFIX:=${XDG_CACHE_HOME:-$HOME/.cache}/libgreenlet-wine}"
: "${WINEDEBUG:=-all}"
export WINEPREFIX WINEDEBUG
exec /usr/lib/wine/wine64 "$@"
