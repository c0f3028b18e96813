#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# tests/runbook/ansible.sh - scripts/runbooks/ansible/cmremedy.yml run by
# Debian's ansible-core against a fleet of sim machines on localhost
# (ansible_connection=local, one host per machine, FORKS at once):
#   check mode changes no byte and reports what would change; the first
#   run changes every host and fetches each report; the second changes
#   none; a host whose restart fails is failed and rolled back while the
#   others succeed.
#   tests/runbook/ansible.sh build/cmremedy [HOSTS] [FORKS]
# Prints one line per check and "ansible: N passed, N failed".  With
# ANSIBLE_TIME_ONLY=1 it only times one apply run of the fleet (for
# scripts/bench-playbook).
set -u
BIN=$(realpath "${1:?usage: tests/runbook/ansible.sh PATH-TO-cmremedy [HOSTS] [FORKS]}")
HOSTS=${2:-6}
FORKS=${3:-6}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PLAY=$TOP/scripts/runbooks/ansible/cmremedy.yml
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cmremedy-ansible.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
# Ansible keeps its temporary and fact files under HOME: a private one.
export HOME=$WORK/home ANSIBLE_LOCAL_TEMP=$WORK/home/tmp \
    ANSIBLE_REMOTE_TEMP=$WORK/home/rtmp ANSIBLE_NOCOLOR=1 \
    ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_STDOUT_CALLBACK=default \
    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_PIPELINING=1
mkdir -p "$HOME"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
expect() { # expect NAME COMMAND...
	local name=$1; shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# fleet NAME [FAILING-HOST]: HOSTS sim machines and their inventory.
fleet() {
	local i d inv=$WORK/$1.ini
	echo "[cmremedy]" > "$inv"
	for i in $(seq "$HOSTS"); do
		d=$WORK/$1/m$i
		mkdir -p "$WORK/$1"
		cp -r "$TOP/tests/data/sim/sample" "$d"
		echo "h$i ansible_connection=local cmremedy_backend=sim:$d cmremedy_report_dir=$d.reports" >> "$inv"
	done
	if [ -n "${2:-}" ]; then
		sed -i '/^\[SMS_EXECUTIVE\]/,/^\[/ s/^fail *=.*/fail = start/' "$WORK/$1/m$2/services.ini"
	fi
	cat >> "$inv" <<INV
[cmremedy:vars]
cmremedy_bin=$BIN
cmremedy_profile=$TOP/profiles/cmg-connector-verbose-on.ini
cmremedy_fetch_dir=$WORK/$1.fetched
INV
}
sums() { cat "$WORK/$1"/m*/registry.reg "$WORK/$1"/m*/services.ini | sha256sum; }
# play NAME [ARGS...]: runs the playbook (ansible-core's default output
# in $WORK/out); sets RC.
play() {
	local name=$1; shift
	RC=0
	ansible-playbook -i "$WORK/$name.ini" -f "$FORKS" "$@" "$PLAY" \
	    > "$WORK/out" 2> "$WORK/err" || RC=$?
}
# stat HOST FIELD: FIELD (changed, failed, ...) of HOST in the PLAY RECAP.
stat() {
	sed -n "s/^$1 *: .*[[:space:]]$2=\([0-9]*\).*/\1/p" "$WORK/out"
}
hosts_with() { # hosts_with FIELD: how many hosts have FIELD > 0
	local i n=0
	for i in $(seq "$HOSTS"); do
		[ "$(stat "h$i" "$1")" -gt 0 ] 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

if [ -n "${ANSIBLE_TIME_ONLY:-}" ]; then
	fleet time
	t0=$(date +%s%N)
	play time
	t1=$(date +%s%N)
	echo "hosts $HOSTS forks $FORKS: $(( (t1 - t0) / 1000000 )) ms, exit $RC, changed $(hosts_with changed)"
	exit 0
fi

fleet a
before=$(sums a)
play a --check
expect "check mode: exit 0" [ "$RC" -eq 0 ]
expect "check mode: no byte changed" [ "$(sums a)" = "$before" ]
expect "check mode: every host would change" [ "$(hosts_with changed)" -eq "$HOSTS" ]
expect "check mode: no report written" [ -z "$(ls "$WORK"/a/m*.reports/*.json 2>/dev/null)" ]

play a
expect "first run: exit 0" [ "$RC" -eq 0 ]
expect "first run: every host changed" [ "$(hosts_with changed)" -eq "$HOSTS" ]
expect "first run: no host failed" [ "$(hosts_with failed)" -eq 0 ]
n=0
for i in $(seq "$HOSTS"); do
	r=$(ls "$WORK"/a.fetched/h$i/*-ansible.json 2>/dev/null)
	[ -n "$r" ] && [ "$(jq -r .outcome "$r")" = changed ] &&
	    [ "$(jq -r .backend "$r")" = "sim:$WORK/a/m$i" ] &&
	    cmp -s "$r" "$WORK/a/m$i.reports/$(basename "$r")" && n=$((n + 1))
done
expect "first run: each host's report fetched back" [ "$n" -eq "$HOSTS" ]
n=0
for i in $(seq "$HOSTS"); do
	"$BIN" check "$TOP/profiles/cmg-connector-verbose-on.ini" --backend "sim:$WORK/a/m$i" >/dev/null && n=$((n + 1))
done
expect "first run: every machine compliant" [ "$n" -eq "$HOSTS" ]
expect "first run: status on a host sees the change" \
    [ "$(CMREMEDY_REPORT_DIR=$WORK/a/m1.reports "$BIN" status --backend "sim:$WORK/a/m1" --json | jq '.active | length')" = 1 ]

before=$(sums a)
play a
expect "second run: exit 0" [ "$RC" -eq 0 ]
expect "second run: no host changed" [ "$(hosts_with changed)" -eq 0 ]
expect "second run: nothing restarted" [ "$(sums a)" = "$before" ]

fleet b 2
reg0=$(sha256sum < "$WORK/b/m2/registry.reg")
play b
expect "failing host: the play exits 2" [ "$RC" -eq 2 ]
expect "failing host: h2 failed" [ "$(stat h2 failed)" -eq 1 ]
expect "failing host: the others changed" [ "$(hosts_with changed)" -eq $((HOSTS - 1)) ]
expect "failing host: only h2 failed" [ "$(hosts_with failed)" -eq 1 ]
r=$(ls "$WORK"/b.fetched/h2/*-ansible.json 2>/dev/null)
expect "failing host: its report fetched, rolled_back" [ -n "$r" ] && [ "$(jq -r .outcome "$r")" = rolled_back ]
expect "failing host: registry as before" [ "$(sha256sum < "$WORK/b/m2/registry.reg")" = "$reg0" ]
expect "failing host: exit code 4 in the result" grep -q '^fatal: \[h2\]: FAILED! => .*"rc": 4' "$WORK/out"

[ "$fail" -eq 0 ] || { echo "--- last ansible stderr:"; tail -20 "$WORK/err"; }
echo "ansible: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
