# SPDX-License-Identifier: ISC
# tests/style/rules.mk - the house style check (scripts/check-style) and
# its own test; part of make check.
.PHONY: style
style:
	@tests/style/run

CHECK_TARGETS += style
