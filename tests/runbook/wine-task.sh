#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# tests/runbook/wine-task.sh - the scheduled task behind --for on Windows,
# registered through Task Scheduler 2.0 (ITaskService) by cmremedy.exe, the
# PE users run, under Wine 8, in a throw-away prefix:
#   apply --for registers "cmremedy expire NAME" (Wine stores it as XML in
#   C:\windows\system32\tasks), status reads it back through GetTask,
#   revert deletes it, and expire deletes it through the revert it runs.
# What Wine 8 does not do is stated in README ("Changes that expire"): it
# creates no time trigger (the code falls back to a daily one), stores no
# trigger, action or principal in the task, and never runs tasks.
#   tests/runbook/wine-task.sh      (make runbook-wine builds what it needs)
# Prints one line per check and "wine-task: N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BW=$TOP/build/wine
. "$TOP/tests/wine/prefix.sh"
CM=$TOP/build/windows/cmremedy.exe
ON=$TOP/profiles/cmg-connector-verbose-on.ini
TASKS=$WINEPREFIX/drive_c/windows/system32/tasks
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ $# -lt 2 ] || echo "    $2"; }
expect() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }
cm() { RC=0; OUT=$(wine "$CM" "$@" 2>"$WORK/stderr" </dev/null) || RC=$?; ERR=$(cat "$WORK/stderr"); }
# The task's XML (Wine 8 writes UTF-8 after a byte order mark).
task_xml() { cat "$TASKS/$1"; }

wineboot -i >/dev/null 2>&1
wineserver -w
wineserver -p
M=$WORK/m
cp -r "$TOP/tests/data/sim/sample" "$M"
export CMREMEDY_REPORT_DIR=$WORK/reports

cm apply "$ON" --backend "sim:$M" --for 1h
expect "apply --for: exit 0" [ "$RC" -eq 0 ]
# The report named by apply itself (Wine reuses pids: names by time alone
# could repeat).
rep=$(sed -n 's/^report: //p' <<<"$OUT" | tr -d '\r')
name="cmremedy expire $(basename "$rep" .json)"
expect "apply --for: says which task runs expire" grep -qF "the scheduled task \"$name\" runs \`cmremedy.exe expire --backend \"sim:$M\"\` as SYSTEM" <<<"$OUT"
expect "apply --for: no warning" [ -z "$(grep -v 'fixme\|err:' <<<"$ERR")" ]
expect "the task is registered (Wine's task store)" [ -f "$TASKS/$name" ]
expect "it deletes itself once expired" grep -q '<DeleteExpiredTaskAfter>PT0S</DeleteExpiredTaskAfter>' <(task_xml "$name")
expect "it runs late rather than never" grep -q '<StartWhenAvailable>true</StartWhenAvailable>' <(task_xml "$name")
cm status --backend "sim:$M" --json
expect "status: exit 0" [ "$RC" -eq 0 ]
expect "status reads the task back through ITaskFolder::GetTask" [ "$(jq -r '.active[0].task.name' <<<"$OUT")" = "$name" ]
cm revert "$rep" --backend "sim:$M"
expect "revert: exit 0" [ "$RC" -eq 0 ]
expect "revert deletes the task" [ ! -e "$TASKS/$name" ]

cm apply "$ON" --backend "sim:$M" --for 30m
rep=$(sed -n 's/^report: //p' <<<"$OUT" | tr -d '\r')
name="cmremedy expire $(basename "$rep" .json)"
expect "second apply --for: task registered" [ -f "$TASKS/$name" ]
now=$(date -u -d "@$(( $(date -u -d "$(jq -r .expires "$rep")" +%s) + 60 ))" +%Y-%m-%dT%H:%M:%SZ)
cm expire --backend "sim:$M" --now "$now"
expect "expire: exit 0" [ "$RC" -eq 0 ]
expect "expire reverted the change" grep -q '^reverting: apply cmg-connector-verbose-on expired at' <<<"$OUT"
expect "expire deletes the task" [ ! -e "$TASKS/$name" ]
[ ! -e "$TASKS/$name" ] || { echo "    stderr: $(grep -v fixme <<<"$ERR")"; ls "$TASKS"; }
cm status --backend "sim:$M" --json
expect "nothing active after expire" [ "$(jq '.active | length' <<<"$OUT")" = 0 ]

echo "wine-task: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
