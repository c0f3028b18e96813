# SPDX-License-Identifier: ISC
# tests/runbook/rules.mk - what runbooks rely on (cmremedy.log, changes
# that expire, status), end to end through the built binary, the
# ASan+UBSan copy included.
.PHONY: runbook-e2e
runbook-e2e: $(B)/cmremedy $(BA)/cmremedy
	@tests/runbook/run $(B)/cmremedy
	@CMREMEDY_ASAN=1 tests/runbook/run $(BA)/cmremedy

CHECK_TARGETS += runbook-e2e
