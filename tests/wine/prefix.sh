# SPDX-License-Identifier: ISC
# prefix.sh - a throw-away Wine prefix with the fake services registered
# (REFERENCE.md section 6).  Sourced by tests/wine/run and
# scripts/bench-restart after TOP and BW are set; sets WORK, WINEPREFIX,
# LOG, CONN and TKEY and removes it all on exit.

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cmremedy-wine.XXXXXX")
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEARCH=win64
unset CMREMEDY_BACKEND CMREMEDY_WIN32_WAIT
wine_cleanup() {
	wineserver -k >/dev/null 2>&1
	wineserver -w >/dev/null 2>&1
	rm -rf "$WORK"
}
trap wine_cleanup EXIT
trap 'exit 130' INT TERM
LOG=$WINEPREFIX/drive_c/fakesvc-SMS_EXECUTIVE.log
CONN='HKLM\SOFTWARE\Microsoft\SMS\SMS_CLOUD_PROXYCONNECTOR'
TKEY='HKLM\SOFTWARE\cmremedy-test'

# wineboot returns before the prefix has settled (wineserver -w waits for
# that); a persistent wineserver keeps services alive between commands.
# The first command starts Wine's own long-lived processes (services.exe,
# ...), which inherit its file descriptors: it gets none of ours, or a
# later `cmd | reader` would wait for them forever.
# Returns non-zero if the fake services cannot be registered.
wine_prefix_up() {
	wineboot -i >/dev/null 2>&1
	wineserver -w
	wineserver -p
	cp "$BW/fakesvc.exe" "$WINEPREFIX/drive_c/fakesvc.exe" &&
	    wine sc create SMS_EXECUTIVE binPath= 'C:\fakesvc.exe' \
		</dev/null >/dev/null 2>&1 &&
	    wine sc create CMTEST_DEP binPath= 'C:\fakesvc.exe' \
		depend= SMS_EXECUTIVE </dev/null >/dev/null 2>&1
}
