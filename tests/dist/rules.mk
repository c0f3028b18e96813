# SPDX-License-Identifier: ISC
# tests/dist/rules.mk - `make dist-check` (part of `make check`): make
# dist gives the same bytes twice, exe included (tests/dist/run).
.PHONY: dist-check
dist-check: $(BWIN)/cmremedy.exe $(WINDEPS)/.ok
	@tests/dist/run $(VERSION)

CHECK_TARGETS += dist-check
