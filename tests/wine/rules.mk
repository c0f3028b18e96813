# SPDX-License-Identifier: ISC
# tests/wine/rules.mk - the Windows side of `make check`: the PE checks
# (`make windows-check`: imports, subsystem, version resource, no
# timestamp) and the Wine test rig (`make wine-check`), both on
# build/windows/cmremedy.exe, the program users run (Makefile, `make
# windows`).  Included by the Makefile.

BW = build/wine
# Real Windows programs for the rig, all PE: the backend driver linked with
# the Windows library, the fake service, and the benchmark's reference
# wait loop.
WINE_TOOLS = $(BWIN)/cmremedy.exe $(BW)/w32test.exe $(BW)/fakesvc.exe \
    $(BW)/mswait.exe $(WIN_UNIT)

# The unit tests that are plain C also run as Windows programs (cmocka
# cross-built from its Debian source), against msvcrt's printf, strtoull
# and stdio instead of glibc's.  The others make temporary folders, FIFOs
# or hard links with POSIX calls (mkdtemp, mkfifo, link, open_memstream)
# and run on Linux only.
WIN_UNIT_NAMES = cli diag_causes diag_iis_words diag_rules elevation err mem \
    plan profile regval text utctime
WIN_UNIT = $(WIN_UNIT_NAMES:%=$(BW)/unit/test_%.exe)

.PHONY: wine windows-check wine-check
wine: $(WINE_TOOLS)

$(BW):
	mkdir -p $@
# The driver takes from the archive only what it calls.
$(BW)/w32test.exe: tests/wine/w32test.c $(BWIN)/libcmremedy.a | $(BW)
	$(MINGW_CC) $(WIN_CFLAGS) -municode -static -o $@ $^ $(WIN_LIBS)
$(BW)/unit/test_%.exe: tests/unit/test_%.c $(TEST_SUPPORT) $(BWIN)/libcmremedy.a $(wildcard tests/unit/*.h tests/unit/support/*.h) $(SRC_H)
	@mkdir -p $(@D)
	$(MINGW_CC) $(WIN_CFLAGS) -Itests/unit -Itests/unit/support \
	    -DTEST_DATA='"tests/data"' -static -o $@ $< $(TEST_SUPPORT) \
	    $(BWIN)/libcmremedy.a -lcmocka $(WIN_LIBS)
$(BW)/fakesvc.exe: tests/wine/fakesvc.c | $(BW)
	$(MINGW_CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $< -ladvapi32
$(BW)/mswait.exe: tests/wine/mswait.c | $(BW)
	$(MINGW_CC) -std=c11 -Wall -Wextra -Werror -O2 -municode -o $@ $< -ladvapi32

windows-check: $(BWIN)/cmremedy.exe
	@tests/wine/pecheck $(BWIN)/cmremedy.exe $(VERSION)

wine-check: $(WINE_TOOLS)
	@tests/wine/run

CHECK_TARGETS += windows-check wine-check
CHECK_BUILD += $(WINE_TOOLS)
DEMO_TARGETS += wine
