# SPDX-License-Identifier: ISC
# e2e.sh - build/windows/cmremedy.exe driven as an admin would, against Wine's
# registry and SCM.  Sourced by tests/wine/run (which owns the prefix, the
# fake services and the ok/bad/skp counters); not run on its own.

CM=$BWIN/cmremedy.exe
ON=$TOP/profiles/cmg-connector-verbose-on.ini
OFF=$TOP/profiles/cmg-connector-verbose-off.ini
export CMREMEDY_REPORT_DIR=$WORK/default-reports
# The machine's folder (lock, journal, policy.ini) instead of the prefix's
# %ProgramData%\cmremedy, so that the rig can look into it; the test keys
# are allowed by its policy.ini.
export CMREMEDY_STATE_DIR=$WORK/state
mkdir -p -m 700 "$CMREMEDY_STATE_DIR"
printf '[allow]\nkey = HKLM\\SOFTWARE\\cmremedy-e2e\nkey = HKLM\\SOFTWARE\\cmremedy-e2e32\n' \
    > "$CMREMEDY_STATE_DIR/policy.ini"
RC= OUT=

cm() { # runs cmremedy; keeps stdout and the exit code
	RC=0
	OUT=$(wine "$CM" "$@" 2>"$WORK/stderr") || RC=$?
}
fail_msg() { echo "    $*"; return 1; }
expect_rc() {
	[ "$RC" -eq "$1" ] || fail_msg "exit $RC, expected $1: $(cat "$WORK/stderr")"
}
t() { # t NAME FUNCTION: runs it in a subshell stopping at the first failure
	local rc
	( set -e; "$2" ); rc=$?
	if [ "$rc" -eq 0 ]; then ok "$1"; else bad "$1"; fi
}
jqr() { jq -r "$1" "$2"; }
# The data of a REG_DWORD as reg.exe prints it (0x1), or "absent".
regdw() {
	wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
	    awk -v v="$2" '$1 == v && $2 == "REG_DWORD" { print $3; f = 1 }
		END { if (!f) print "absent" }'
}
# STATE number of a service per Wine's sc.exe (1 stopped, 4 running).
svc_state() { wine sc query "$1" | tr -d '\r' | awk '$1 == "STATE" { print $3 }'; }
# Waits up to 15 s for a state.
svc_wait() {
	local i
	for i in $(seq 150); do
		[ "$(svc_state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	fail_msg "service $1 did not reach state $2"
}
svc_running() { # starts the service if needed and waits for RUNNING
	[ "$(svc_state "$1")" = 4 ] && return 0
	[ "$(svc_state "$1")" = 1 ] && wine sc start "$1" >/dev/null
	svc_wait "$1" 4
}
# The fake service's own record of its last start: "PID VERBOSE".
last_start() { tr -d '\r' < "$LOG" | awk '{ sub("pid=", "", $2);
	sub("verbose=", "", $3); p = $2 " " $3 } END { print p }'; }
starts() { wc -l < "$LOG"; }
fake_conf() { wine reg add "$TKEY\\SMS_EXECUTIVE" /v "$1" /t REG_DWORD \
	/d "$2" /f >/dev/null; }
set_verbose() { wine reg add "$CONN" /v VerboseLogging /t REG_DWORD \
	/d "$1" /f >/dev/null; }
profile() { cat > "$WORK/$1"; echo "$WORK/$1"; }

# A profile with short timeouts, for the fault runs.
FAST=$(profile fast.ini <<'EOF'
[profile]
name = wine-fast
[setting verbose]
key = HKLM\SOFTWARE\Microsoft\SMS\SMS_CLOUD_PROXYCONNECTOR
value = VerboseLogging
type = REG_DWORD
data = 1
off = 0
[service SMS_EXECUTIVE]
stop_timeout = 1500ms
start_timeout = 3s
EOF
)

echo "# end to end: build/windows/cmremedy.exe"
fake_conf HangOnStopMs 0; fake_conf FailOnStart 0
fake_conf StopMs 300; fake_conf StartMs 300
set_verbose 0
svc_running SMS_EXECUTIVE >/dev/null && svc_running CMTEST_DEP >/dev/null

check_not_compliant() {
	cm check "$ON" --backend win32; expect_rc 1
}
plan_changes_nothing() {
	local before n0
	before=$(wine reg query 'HKLM\SOFTWARE' /s 2>&1 | md5sum)
	n0=$(starts)
	cm plan "$ON" --backend win32; expect_rc 0
	[ "$(wine reg query 'HKLM\SOFTWARE' /s 2>&1 | md5sum)" = "$before" ] ||
	    fail_msg "reg query before and after plan differ"
	[ "$(starts)" = "$n0" ] || fail_msg "plan restarted the service"
	[ "$(svc_state SMS_EXECUTIVE)" = 4 ] || fail_msg "service not running"
}
apply_restarts_with_new_value() {
	local r=$WORK/a1.json pid0 pid1 rec
	cm apply "$ON" --backend win32 --report "$r"; expect_rc 0
	[ "$(regdw "$CONN" VerboseLogging)" = 0x1 ] || fail_msg "value not 1"
	[ "$(jqr .outcome "$r")" = changed ] || fail_msg "outcome"
	[ "$(jqr .backend "$r")" = win32 ] || fail_msg "backend"
	[ "$(jqr '.services[0].action' "$r")" = restart ] || fail_msg "action"
	pid0=$(jqr '.services[0].before.pid' "$r")
	pid1=$(jqr '.services[0].after.pid' "$r")
	rec=$(last_start)
	[ "$pid0" != "$pid1" ] || fail_msg "pid did not change: $pid0"
	[ "$rec" = "$pid1 1" ] ||
	    fail_msg "service's own record '$rec', report's pid $pid1"
	[ "$(jqr '.services[0].after.state' "$r")" = running ] ||
	    fail_msg "after state"
	[ "$(svc_state CMTEST_DEP)" = 4 ] || fail_msg "dependent not running"
	echo "    restart: stop $(jqr '.services[0].stop_ms' "$r") ms, start" \
	    "$(jqr '.services[0].start_ms' "$r") ms (300 + 300 ms pending)"
}
check_compliant() {
	cm check "$ON" --backend win32; expect_rc 0
}
apply_again_restarts_nothing() {
	local r=$WORK/a2.json n0; n0=$(starts)
	cm apply "$ON" --backend win32 --report "$r"; expect_rc 0
	[ "$(jqr .outcome "$r")" = unchanged ] || fail_msg "outcome $(jqr .outcome "$r")"
	[ "$(jqr '.services[0].action' "$r")" = none ] || fail_msg "action"
	[ "$(starts)" = "$n0" ] || fail_msg "service restarted"
}
toggle_flips_off() {
	local r=$WORK/t1.json
	cm toggle "$ON" --backend win32 --report "$r"; expect_rc 0
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value not 0"
	[ "$(last_start)" = "$(jqr '.services[0].after.pid' "$r") 0" ] ||
	    fail_msg "service's record $(last_start)"
}
revert_puts_back() {
	cm revert "$WORK/t1.json" --backend win32 --report "$WORK/rv.json"
	expect_rc 0
	[ "$(regdw "$CONN" VerboseLogging)" = 0x1 ] || fail_msg "value not 1"
	[ "$(last_start | cut -d' ' -f2)" = 1 ] || fail_msg "record $(last_start)"
	cm check "$OFF" --backend win32; expect_rc 1
}
backup_imports_with_reg() {
	local b v; b=$(jqr .backup "$WORK/a1.json")
	[ -f "$b" ] || fail_msg "no backup file: $b"
	set_verbose 7
	[ "$(regdw "$CONN" VerboseLogging)" = 0x7 ] || fail_msg "not set to 7"
	wine reg import "$(winepath -w "$b")" >/dev/null 2>"$WORK/import.err" ||
	    fail_msg "reg import refused $b: $(cat "$WORK/import.err")"
	v=$(regdw "$CONN" VerboseLogging)
	[ "$v" = 0x0 ] || fail_msg "after import: $v; $(cat "$WORK/import.err")"
}
reg_export_reads() {
	# A sim machine whose registry.reg is Wine's own export: our reader
	# must take it (UTF-16LE, as reg export writes it).
	local m=$WORK/exported
	mkdir -p "$m"
	set_verbose 1
	wine reg export 'HKLM\SOFTWARE\Microsoft\SMS' \
	    "$(winepath -w "$m/registry.reg")" /y >/dev/null 2>&1 ||
	    fail_msg "reg export failed"
	printf '[SMS_EXECUTIVE]\nstate = running\npid = 100\n' \
	    > "$m/services.ini"
	cm check "$ON" --backend "sim:$m"; expect_rc 0
	cm check "$OFF" --backend "sim:$m"; expect_rc 1
}
# Issue 8: the machine lock makes the second run see the first one's
# result: exactly one run changes and restarts, the service starts once.
concurrent_applies_restart_once() {
	local n0 a b changed=0 claims=0 f
	set_verbose 0; svc_running SMS_EXECUTIVE; n0=$(starts)
	wine "$CM" apply "$FAST" --backend win32 --report "$WORK/c1.json" \
	    >/dev/null 2>&1 & a=$!
	wine "$CM" apply "$FAST" --backend win32 --report "$WORK/c2.json" \
	    >/dev/null 2>&1 & b=$!
	wait "$a" || fail_msg "first run failed"
	wait "$b" || fail_msg "second run failed"
	for f in "$WORK/c1.json" "$WORK/c2.json"; do
		[ "$(jqr .outcome "$f")" = changed ] && changed=$((changed + 1))
		[ "$(jqr '.services[0].action' "$f")" = restart ] &&
		    claims=$((claims + 1))
	done
	[ "$changed" -eq 1 ] || fail_msg "$changed runs say changed"
	[ "$claims" -eq 1 ] || fail_msg "$claims runs claim the restart"
	[ "$(starts)" -eq $((n0 + 1)) ] ||
	    fail_msg "the service started $(( $(starts) - n0 )) times"
	[ "$(regdw "$CONN" VerboseLogging)" = 0x1 ] || fail_msg "value not 1"
	[ ! -e "$CMREMEDY_STATE_DIR/cmremedy.journal" ] || fail_msg "journal left"
}
# Issue 8 on the real SCM: the PE killed (TerminateProcess, the test hook)
# at every step of an apply; each time check must not say compliant while
# the journal is there, and recover (odd steps) or apply (even) must leave
# the value as the running service read it at its last start, everything
# running.
kill_every_step_real_scm() {
	local n=1 tried=0 rc v want journal=$CMREMEDY_STATE_DIR/cmremedy.journal
	fake_conf StopMs 100; fake_conf StartMs 100
	while [ "$n" -lt 60 ]; do
		# The service must run with the value the registry holds.
		set_verbose 0
		if [ "$(last_start | cut -d' ' -f2)" != 0 ]; then
			wine sc stop CMTEST_DEP >/dev/null 2>&1 || true
			svc_wait CMTEST_DEP 1
			wine sc stop SMS_EXECUTIVE >/dev/null 2>&1 || true
			svc_wait SMS_EXECUTIVE 1
		fi
		svc_running SMS_EXECUTIVE; svc_running CMTEST_DEP
		rc=0
		CMREMEDY_TEST_KILL_AT=$n wine "$CM" apply "$FAST" --backend win32 \
		    --report "$WORK/wk$n.json" >/dev/null 2>&1 || rc=$?
		[ "$rc" -eq 137 ] || break
		tried=$((tried + 1))
		if [ -e "$journal" ]; then
			cm check "$FAST" --backend win32; expect_rc 1
			echo "$OUT" | grep -q "^interrupted: an apply run was interrupted (report .*wk$n.json" ||
			    fail_msg "step $n: check said $OUT"
		fi
		if [ $((n % 2)) -eq 1 ]; then
			cm recover --backend win32 --report "$WORK/wkr$n.json"
			want=0x0
		else
			cm apply "$FAST" --backend win32 --report "$WORK/wka$n.json"
			want=0x1
		fi
		# Wine's SCM, loaded hard, can fail a start with its own
		# ERROR_INTERNAL_ERROR (1359); the run then says so and keeps
		# its journal, and recover again is what an admin does.
		if [ "$RC" -ne 0 ] && grep -q 'Win32 error 1359' "$WORK/stderr"; then
			echo "    step $n: Wine's SCM said 1359; recover again"
			sleep 1
			cm recover --backend win32 --report "$WORK/wkr2$n.json"
			want=0x0
		fi
		expect_rc 0
		v=$(regdw "$CONN" VerboseLogging)
		# recover after a kill past the commit point finds nothing:
		# the run was done.
		[ "$v" = "$want" ] || { [ "$want" = 0x0 ] && [ "$v" = 0x1 ] &&
		    [ ! -e "$journal" ] && [ "$OUT" = "nothing to recover" ]; } ||
		    fail_msg "step $n: value $v, expected $want ($OUT)"
		svc_wait SMS_EXECUTIVE 4; svc_wait CMTEST_DEP 4
		[ "$(last_start | cut -d' ' -f2)" = "${v#0x}" ] ||
		    fail_msg "step $n: the service runs with verbose=$(last_start), the registry holds $v"
		[ ! -e "$journal" ] || fail_msg "step $n: journal left"
		n=$((n + 1))
	done
	fake_conf StopMs 300; fake_conf StartMs 300
	[ "$rc" -eq 0 ] || fail_msg "the run without a kill exited $rc"
	[ "$tried" -ge 8 ] || fail_msg "only $tried steps"
	echo "    $tried kill points on the real SCM, $tried recovered"
}
# sshd's StrictModes on Windows (util/fsperm.c reads the owner and the
# DACL).  Wine gives a file without a stored security descriptor one made
# from its Unix mode, o+w being an Everyone entry with write rights: the
# PE must refuse such a policy.ini and profile, change nothing, and make
# the machine's state folder private again.
windows_strictmodes() {
	local pol=$CMREMEDY_STATE_DIR/policy.ini
	set_verbose 0
	chmod 666 "$pol"
	cm apply "$ON" --backend win32 --report "$WORK/sm1.json"
	chmod 644 "$pol"
	expect_rc 2
	grep -q 'the policy file is writable by Everyone' "$WORK/stderr" ||
	    fail_msg "$(cat "$WORK/stderr")"
	cp "$ON" "$WORK/open.ini"; chmod 666 "$WORK/open.ini"
	cm apply "$WORK/open.ini" --backend win32 --report "$WORK/sm2.json"
	expect_rc 2
	grep -q 'the profile is writable by Everyone' "$WORK/stderr" ||
	    fail_msg "$(cat "$WORK/stderr")"
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value changed"
	[ ! -e "$WORK/sm1.json" ] && [ ! -e "$WORK/sm2.json" ] ||
	    fail_msg "a refused run wrote a report"
	chmod 777 "$CMREMEDY_STATE_DIR"
	cm apply "$OFF" --backend win32 --report "$WORK/sm3.json"; expect_rc 0
	case $(stat -c %a "$CMREMEDY_STATE_DIR") in
	*[2367]) chmod 700 "$CMREMEDY_STATE_DIR"
		 fail_msg "state folder left open" ;;
	esac
}
hang_on_stop_rolls_back() {
	local t0 t1 r=$WORK/hang.json
	set_verbose 0; fake_conf HangOnStopMs 4000
	t0=$(date +%s%N)
	cm apply "$FAST" --backend win32 --report "$r"; t1=$(date +%s%N)
	fake_conf HangOnStopMs 0
	expect_rc 4
	echo "    exit 4 after $(( (t1 - t0) / 1000000 )) ms (stop timeout 1500 ms)"
	[ $(( (t1 - t0) / 1000000 )) -lt 2500 ] || fail_msg "too slow"
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value not back"
	[ "$(jqr .outcome "$r")" = rolled_back ] || fail_msg "outcome"
	jq -e '.errors | length > 0' "$r" >/dev/null || fail_msg "no errors"
	svc_wait SMS_EXECUTIVE 1; svc_running SMS_EXECUTIVE
}
fail_on_start_rolls_back() {
	local r=$WORK/fail.json
	set_verbose 0; fake_conf FailOnStart 1
	cm apply "$FAST" --backend win32 --report "$r"
	fake_conf FailOnStart 0
	expect_rc 4
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value not back"
	[ "$(jqr .outcome "$r")" = rolled_back ] || fail_msg "outcome"
	jq -r '.errors[].message' "$r" | grep -q 1066 ||
	    fail_msg "errors do not name the exit code: $(jq -c .errors "$r")"
	[ "$(jqr '.services[0].after.state' "$r")" = running ] ||
	    fail_msg "service state after rollback: $(jq -c '.services[0]' "$r")"
	[ "$(last_start)" = "$(jqr '.services[0].after.pid' "$r") 0" ] ||
	    fail_msg "rollback start record $(last_start)"
}
fail_twice_is_exit5() {
	# The rollback's start fails too: exit 5, and the report says so.
	local r=$WORK/fail2.json
	set_verbose 0; fake_conf FailOnStart 2
	cm apply "$FAST" --backend win32 --report "$r"
	fake_conf FailOnStart 0
	expect_rc 5
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value not back"
	[ "$(jqr .outcome "$r")" = failed ] || fail_msg "outcome $(jqr .outcome "$r")"
	[ "$(jqr '.services[0].after.state' "$r")" = stopped ] ||
	    fail_msg "service: $(jq -c '.services[0]' "$r")"
	[ "$(svc_state SMS_EXECUTIVE)" = 1 ] || fail_msg "service not stopped"
	# Issue 8: the run's journal stays; check says so, and recover starts
	# the service that ran before.
	[ -e "$CMREMEDY_STATE_DIR/cmremedy.journal" ] ||
	    fail_msg "no journal after exit 5"
	cm check "$FAST" --backend win32; expect_rc 1
	echo "$OUT" | grep -q 'run cmremedy recover' || fail_msg "check: $OUT"
	cm recover --backend win32 --report "$WORK/fail2-rec.json"; expect_rc 0
	[ "$(svc_state SMS_EXECUTIVE)" = 4 ] || fail_msg "recover did not start it"
	[ ! -e "$CMREMEDY_STATE_DIR/cmremedy.journal" ] || fail_msg "journal left"
}
missing_key_created_and_removed() {
	local p r=$WORK/newkey.json
	p=$(profile newkey.ini <<'EOF'
[profile]
name = wine-new-key
[setting new]
key = HKLM\SOFTWARE\cmremedy-e2e\Fresh\Deeper
value = Flag
type = REG_SZ
data = on
[service SMS_EXECUTIVE]
stop_timeout = 1500ms
start_timeout = 3s
EOF
)
	fake_conf FailOnStart 1
	cm apply "$p" --backend win32 --report "$r"
	fake_conf FailOnStart 0
	expect_rc 4
	! wine reg query 'HKLM\SOFTWARE\cmremedy-e2e' >/dev/null 2>&1 ||
	    fail_msg "rollback left the created key"
	cm apply "$p" --backend win32 --report "$r"; expect_rc 0
	wine reg query 'HKLM\SOFTWARE\cmremedy-e2e\Fresh\Deeper' /v Flag |
	    grep -q 'REG_SZ *on' || fail_msg "key not created"
	cm revert "$r" --backend win32 --report "$WORK/newkey-rv.json"
	expect_rc 0
	# The report records how many keys apply created (keys_created): revert
	# removes all of them again, parents included.
	[ "$(jqr '.settings[0].keys_created' "$r")" = 3 ] ||
	    fail_msg "keys_created $(jqr '.settings[0].keys_created' "$r")"
	! wine reg query 'HKLM\SOFTWARE\cmremedy-e2e' >/dev/null 2>&1 ||
	    fail_msg "revert left a created key"
}
view32_lands_in_wow6432node() {
	local p
	p=$(profile view32.ini <<'EOF'
[profile]
name = wine-view32
[setting v32]
key = HKLM\SOFTWARE\cmremedy-e2e32
value = Bits
type = REG_DWORD
data = 32
view = 32
EOF
)
	cm apply "$p" --backend win32 --report "$WORK/v32.json"; expect_rc 0
	[ "$(regdw 'HKLM\SOFTWARE\WOW6432Node\cmremedy-e2e32' Bits)" = 0x20 ] ||
	    fail_msg "not under WOW6432Node"
	[ "$(regdw 'HKLM\SOFTWARE\cmremedy-e2e32' Bits)" = absent ] ||
	    fail_msg "also in the 64-bit view"
}
missing_service_exit3() {
	local p
	p=$(profile nosvc.ini <<'EOF'
[profile]
name = wine-no-service
[setting verbose]
key = HKLM\SOFTWARE\Microsoft\SMS\SMS_CLOUD_PROXYCONNECTOR
value = VerboseLogging
type = REG_DWORD
data = 1
[service NO_SUCH_SERVICE]
EOF
)
	set_verbose 0
	cm apply "$p" --backend win32 --report "$WORK/nosvc.json"; expect_rc 3
	grep -q "service NO_SUCH_SERVICE does not exist on this machine" \
	    "$WORK/stderr" || fail_msg "stderr: $(cat "$WORK/stderr")"
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "value changed"
}

# A folder named in Cyrillic, as C:\cmr-Журнал: the PE must get its
# arguments as UTF-16 (an ANSI argv turns them into '?') and open files by
# wide names; the report records the paths in UTF-8.
UDIR=$WINEPREFIX/drive_c/cmr-Журнал
UWIN='C:\cmr-Журнал'
unicode_profile_and_report() {
	local r=$UDIR/apply.json
	mkdir -p "$UDIR"; cp "$ON" "$UDIR/on.ini"
	set_verbose 0
	cm apply "$UWIN\on.ini" --backend win32 --report "$UWIN\apply.json"
	expect_rc 0
	[ "$(regdw "$CONN" VerboseLogging)" = 0x1 ] || fail_msg "value not 1"
	[ -f "$r" ] || fail_msg "no report under $UDIR: $(ls "$UDIR")"
	[ "$(jqr .profile.path "$r")" = "$UWIN\on.ini" ] ||
	    fail_msg "profile.path $(jqr .profile.path "$r")"
	[ "$(jqr .backup "$r")" = "$UWIN\apply.backup.reg" ] ||
	    fail_msg "backup $(jqr .backup "$r")"
	[ -f "$UDIR/apply.backup.reg" ] || fail_msg "no backup file"
	grep -qF "report: $UWIN\apply.json" <<<"$OUT" ||
	    fail_msg "stdout does not name the report: $OUT"
	cm revert "$UWIN\apply.json" --backend win32 \
	    --report "$UWIN\revert.json"; expect_rc 0
	[ "$(regdw "$CONN" VerboseLogging)" = 0x0 ] || fail_msg "not reverted"
	[ "$(jqr .reverts "$UDIR/revert.json")" = "$UWIN\apply.json" ] ||
	    fail_msg "reverts $(jqr .reverts "$UDIR/revert.json")"
}
unicode_missing_file_named_exactly() {
	cm plan "$UWIN\nope.ini" --backend win32; expect_rc 2
	grep -qF "$UWIN\nope.ini: cannot open" "$WORK/stderr" ||
	    fail_msg "stderr: $(cat "$WORK/stderr")"
}
# A console, not a pipe: text goes through WriteConsoleW, which Wine
# shows on a Unix terminal in its UTF-8 locale (script(1) gives the pty).
console_shows_utf8() {
	local out
	out=$(LANG=C.UTF-8 script -qec "stty cols 250; wine '$CM' plan \
	    '$UWIN\nope.ini' --backend win32" /dev/null 2>&1 | tr -d '\r')
	grep -qF "$UWIN\nope.ini: cannot open" <<<"$out" ||
	    fail_msg "console showed: $(head -c 300 <<<"$out" | od -c | head -5)"
}
unicode_diagnose_folder() {
	# The same logs under the Cyrillic folder, named the Windows way: the
	# findings are the Linux build's, with paths in Windows form.
	local want
	rm -rf "$UDIR/logs"; cp -r tests/data/diag "$UDIR/logs"
	cm diagnose "$UWIN\logs"; expect_rc 1
	want=$("$TOP/build/cmremedy" diagnose tests/data/diag |
	    perl -pe 's{tests/data/diag/([^\s:]*)}{my $p = $1; $p =~ s|/|\\|g;
		"C:\\cmr-Журнал\\logs\\$p"}ge')
	[ "$OUT" = "$want" ] ||
	    fail_msg "differs: $(diff <(echo "$want") <(echo "$OUT") | head -6)"
}
default_reports_in_programdata() {
	# No --report, no CMREMEDY_REPORT_DIR: %ProgramData%\cmremedy\reports,
	# made private (Wine shows the DACL as the Unix mode: others none).
	local dir=$WINEPREFIX/drive_c/ProgramData/cmremedy n
	set_verbose 0
	RC=0; OUT=$(env -u CMREMEDY_REPORT_DIR wine "$CM" apply "$ON" \
	    --backend win32 2>"$WORK/stderr") || RC=$?
	expect_rc 0
	n=$(find "$dir/reports" -name '*-apply-cmg-connector-verbose-on-*.json' |
	    wc -l)
	[ "$n" = 1 ] || fail_msg "reports: $(ls -R "$dir" 2>&1)"
	grep -q 'report: C:\\ProgramData\\cmremedy\\reports\\' <<<"$OUT" ||
	    fail_msg "stdout: $OUT"
	case "$(stat -c %a "$dir") $(stat -c %a "$dir/reports")" in
	[0-7][0-7]0\ [0-7][0-7]0) ;;
	*) fail_msg "modes $(stat -c %a "$dir" "$dir/reports")" ;;
	esac
	set_verbose 0
}
# diagnose is pure parsing: the PE must print what the Linux build prints,
# byte for byte, with the same exit code (msvcrt's printf, strtoull and
# text-mode I/O are where they would part).
diagnose_same_as_linux() {
	local args lin_rc pe_rc
	while IFS= read -r args; do
		lin_rc=0
		# shellcheck disable=SC2086
		"$TOP/build/cmremedy" diagnose $args \
		    > "$WORK/diag-linux.out" 2>"$WORK/diag-linux.err" || lin_rc=$?
		pe_rc=0
		# shellcheck disable=SC2086
		wine "$CM" diagnose $args \
		    > "$WORK/diag-pe.out" 2>"$WORK/diag-pe.err" || pe_rc=$?
		[ "$lin_rc" = "$pe_rc" ] ||
		    fail_msg "diagnose $args: exit $pe_rc, Linux $lin_rc"
		[ -s "$WORK/diag-linux.out" ] || fail_msg "$args: no output"
		cmp "$WORK/diag-linux.out" "$WORK/diag-pe.out" >/dev/null ||
		    fail_msg "diagnose $args differs: $(diff \
			"$WORK/diag-linux.out" "$WORK/diag-pe.out" | head -5)"
		cmp "$WORK/diag-linux.err" "$WORK/diag-pe.err" >/dev/null ||
		    fail_msg "diagnose $args: stderr differs: $(diff \
			"$WORK/diag-linux.err" "$WORK/diag-pe.err" | head -5)"
	done <<'EOF'
tests/data/diag
tests/data/diag --json
tests/data/diag --since 2026-01-02T00:00:00Z --json
tests/data/diag/u_ex260103.log tests/data/diag/SMS_Cloud_ProxyConnector.lo_
tests/data/diag/LogFiles tests/data/diag/missing.log
EOF
}

t "check: not compliant (exit 1)" check_not_compliant
t "plan changes nothing (reg query identical, no restart)" plan_changes_nothing
t "apply: value 1, new pid recorded by the service with verbose=1" \
    apply_restarts_with_new_value
t "check: compliant (exit 0)" check_compliant
t "apply again restarts nothing" apply_again_restarts_nothing
t "toggle flips to 0 and restarts" toggle_flips_off
t "revert puts 1 back" revert_puts_back
t "two concurrent applies on the real SCM: one change, one restart" \
    concurrent_applies_restart_once
t "the .reg backup imports with wine reg import" backup_imports_with_reg
t "a wine reg export file reads with our reader" reg_export_reads
t "kill at every step of apply (real SCM), then check and recover/apply" \
    kill_every_step_real_scm
t "StrictModes: policy.ini or profile writable by Everyone refused (exit 2)" \
    windows_strictmodes
t "hang on stop: exit 4 in time, value back" hang_on_stop_rolls_back
t "fail on start: exit 4, value back, service running" \
    fail_on_start_rolls_back
t "fail on start twice: exit 5, value back, service reported stopped" \
    fail_twice_is_exit5
t "missing key created; rollback and revert remove it" \
    missing_key_created_and_removed
t "32-bit view lands under WOW6432Node" view32_lands_in_wow6432node
t "missing service: exit 3, plain message, nothing changed" \
    missing_service_exit3
t "profile and report under C:\\cmr-Журнал: apply, report paths, revert" \
    unicode_profile_and_report
t "a missing file under C:\\cmr-Журнал is named exactly (exit 2)" \
    unicode_missing_file_named_exactly
t "diagnose C:\\cmr-Журнал\\logs finds what Linux finds" \
    unicode_diagnose_folder
t "console output (WriteConsoleW) shows the Cyrillic name" \
    console_shows_utf8
t "default reports: %ProgramData%\\cmremedy\\reports, private" \
    default_reports_in_programdata
t "diagnose prints exactly what the Linux build prints" \
    diagnose_same_as_linux
