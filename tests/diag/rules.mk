# SPDX-License-Identifier: ISC
# tests/diag/rules.mk - end-to-end tests of `cmremedy diagnose`, driven
# through the built binary (ASan+UBSan copy).
.PHONY: diag-e2e
diag-e2e: $(BA)/cmremedy
	@tests/diag/run $(BA)/cmremedy diagnose

CHECK_TARGETS += diag-e2e
