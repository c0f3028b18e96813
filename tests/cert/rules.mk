# SPDX-License-Identifier: ISC
# tests/cert/rules.mk - end-to-end tests of `cmremedy certcheck` on
# certificates Debian's openssl makes at test time (tests/cert/mkcerts):
# the Linux build under ASan+UBSan (cert-e2e) and, where the Makefile
# builds the Windows program, that PE under Wine against the Linux build
# (cert-wine).
.PHONY: cert-e2e cert-wine
cert-e2e: $(BA)/cmremedy
	@tests/cert/run $(BA)/cmremedy

CHECK_TARGETS += cert-e2e

ifdef BWIN
cert-wine: $(B)/cmremedy $(BWIN)/cmremedy.exe
	@tests/cert/wine $(B)/cmremedy $(BWIN)/cmremedy.exe

CHECK_TARGETS += cert-wine
# Never beside wine-check under make -j: its restart timings are measured.
ifneq ($(filter wine-check,$(MAKECMDGOALS)),)
cert-wine: | wine-check
endif
endif
