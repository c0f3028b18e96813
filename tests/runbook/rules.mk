# SPDX-License-Identifier: ISC
# tests/runbook/rules.mk - what runbooks rely on, end to end through the
# built binary: cmremedy.log, changes that expire, status (runbook-e2e,
# the ASan+UBSan copy included), and the Ansible playbook run by Debian's
# ansible-core on a fleet of 6 sim machines (runbook-ansible; 4 playbook
# runs, about 30 s of ansible-core's own start-up and forks on an idle
# 2-core machine).  Playbook wall times: scripts/bench-playbook.
# runbook-wine: cmremedy.exe registers, reads back and deletes the
# --for scheduled task through Task Scheduler 2.0 under Wine 8 (one
# wineboot, about 30 s).
.PHONY: runbook-e2e runbook-ansible runbook-wine
runbook-e2e: $(B)/cmremedy $(BA)/cmremedy
	@tests/runbook/run $(B)/cmremedy
	@CMREMEDY_ASAN=1 tests/runbook/run $(BA)/cmremedy
runbook-ansible: $(B)/cmremedy
	@tests/runbook/ansible.sh $(B)/cmremedy 6 6

runbook-wine: $(BWIN)/cmremedy.exe
	@tests/runbook/wine-task.sh

CHECK_TARGETS += runbook-e2e runbook-ansible runbook-wine
