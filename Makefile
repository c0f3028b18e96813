# SPDX-License-Identifier: ISC
# cmremedy - see README.md.  `make` builds build/cmremedy; `make check` runs
# every test (unit tests under ASan+UBSan, end-to-end runs of the binary).

CC       ?= cc
CFLAGS   ?= -O2 -g
CSTD      = -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
# Sources live in one folder per layer (README: How the code is laid out);
# a file names what it takes from another folder as "folder/name.h".
SRC_ALL   = src/main.c $(wildcard src/*/*.c)
SRC_H     = $(wildcard src/*/*.h)
PKGS      = inih jansson libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -linih -ljansson -lcrypto)
SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
# The one place the version is set (reports, --version, the man page header).
VERSION   = 0.1.0

B  = build
BA = build/asan

# Everything but main.c and the Windows backend is the library that the
# unit tests link against (curl's tool/lib split).  The Windows program is
# built below (`make windows`).
LIB_SRC  = $(filter-out src/main.c src/backend/backend_win32.c,$(SRC_ALL))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(B)/obj/%.o)
LIB_AOBJ = $(LIB_SRC:src/%.c=$(BA)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BA)/%)
TEST_SUPPORT = $(wildcard tests/unit/support/*.c)

.PHONY: all check unit e2e demo deps deps-test deps-demo clean layers
# Areas add what the demo needs built (the Wine part: `wine`).
DEMO_TARGETS =
all: $(B)/cmremedy

$(B)/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) -Isrc $(PKG_CFLAGS) -DCM_VERSION='"$(VERSION)"' -c -o $@ $<
$(BA)/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) -Isrc $(PKG_CFLAGS) -DCM_VERSION='"$(VERSION)"' -c -o $@ $<

$(B)/libcmremedy.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
$(BA)/libcmremedy.a: $(LIB_AOBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/cmremedy: $(B)/obj/main.o $(B)/libcmremedy.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
$(BA)/cmremedy: $(BA)/obj/main.o $(BA)/libcmremedy.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

$(BA)/test_%: tests/unit/test_%.c $(TEST_SUPPORT) $(BA)/libcmremedy.a $(wildcard tests/unit/*.h tests/unit/support/*.h) $(SRC_H)
	$(CC) $(CSTD) -O1 -g $(SAN) $(PKG_CFLAGS) -Isrc -Itests/unit -Itests/unit/support \
	    -DTEST_DATA='"tests/data"' -o $@ $< $(TEST_SUPPORT) \
	    $(BA)/libcmremedy.a $(PKG_LIBS) -lcmocka

# Unit tests: cmocka, under AddressSanitizer and UBSan.
unit: $(UNIT_BIN)
	@scripts/run-unit $(UNIT_BIN)

# End-to-end: the built binary driven as a user would, on sim machines.
e2e: $(B)/cmremedy $(BA)/cmremedy
	@tests/e2e/run $(B)/cmremedy
	@CMREMEDY_ASAN=1 tests/e2e/run $(BA)/cmremedy

deps:
	@scripts/install-deps build
deps-test:
	@scripts/install-deps test
deps-demo:
	@scripts/install-deps demo

# The two README commands.  Each installs what it needs first, then runs
# make again so that pkg-config sees the freshly installed packages.
demo: deps-demo
	@$(MAKE) --no-print-directory all $(DEMO_TARGETS)
	@scripts/demo $(B)/cmremedy

# No folder of src/ includes from a folder above it (scripts/check-layers),
# and the checker catches each kind of breach planted in a copy.
layers:
	@tests/layers/run

CHECK_TARGETS = layers unit e2e
# What the suites run is built first, two jobs at a time (this machine's
# two cores; the rules say every order they need).  The suites then run
# one after another: the Wine suites time service restarts, which other
# work on the machine would disturb.  Areas add what they build.
CHECK_BUILD = $(B)/cmremedy $(BA)/cmremedy $(UNIT_BIN)
check: deps-test
	@$(MAKE) --no-print-directory -j2 $(CHECK_BUILD)
	@$(MAKE) --no-print-directory all $(CHECK_TARGETS)
	@echo "suites run: $(CHECK_TARGETS)"
	@echo "check: $(words $(CHECK_TARGETS)) passed, 0 failed"

clean:
	rm -rf $(B)

# ---- the Windows program ----------------------------------------------------
# build/windows/cmremedy.exe: the static PE32+ console program admins copy to
# a site server.  Debian's mingw-w64; inih and jansson cross-built from their
# Debian source packages by scripts/windeps (pinned there, cached in
# build/windeps).  No timestamp in the PE, no symbols: two builds of the
# same sources give the same bytes (make dist).
MINGW_CC ?= x86_64-w64-mingw32-gcc
MINGW_AR ?= x86_64-w64-mingw32-ar
WINDRES  ?= x86_64-w64-mingw32-windres
BWIN     = build/windows
WINDEPS  = build/windeps
WIN_CFLAGS = $(CSTD) -O2 -Isrc -I$(WINDEPS)/include -DCM_VERSION='"$(VERSION)"'
# Every source, the win32 backend included.
WIN_LIBSRC = $(filter-out src/main.c,$(SRC_ALL))
WIN_LIBOBJ = $(WIN_LIBSRC:src/%.c=$(BWIN)/obj/%.o)
# -municode: wmain, the arguments as UTF-16.
WIN_LDFLAGS = -static -municode -s -Wl,--no-insert-timestamp
WIN_LIBS    = -L$(WINDEPS)/lib -linih -ljansson -ladvapi32 -lcrypt32 \
              -lole32 -loleaut32
comma := ,

.PHONY: windows windeps
windows: $(BWIN)/cmremedy.exe
windeps: $(WINDEPS)/.ok
$(WINDEPS)/.ok: scripts/windeps
	@scripts/windeps $(WINDEPS)
	@touch $@

$(BWIN)/obj/%.o: src/%.c $(SRC_H) $(WINDEPS)/.ok
	@mkdir -p $(@D)
	$(MINGW_CC) $(WIN_CFLAGS) -c -o $@ $<
# The version resource: "0.1.0" and 0,1,0,0 from VERSION.
$(BWIN)/obj/cmremedy-rc.o: src/cmremedy.rc src/cmremedy.exe.manifest Makefile
	@mkdir -p $(@D)
	$(WINDRES) -Isrc -DCM_VERSION='\"$(VERSION)\"' \
	    -DCM_VERSION_BIN=$(subst .,$(comma),$(VERSION)),0 -o $@ $<
$(BWIN)/libcmremedy.a: $(WIN_LIBOBJ)
	rm -f $@ && $(MINGW_AR) rcsD $@ $^
$(BWIN)/cmremedy.exe: $(BWIN)/obj/main.o $(BWIN)/obj/cmremedy-rc.o $(BWIN)/libcmremedy.a
	$(MINGW_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_LIBS)

# build/dist/cmremedy-VERSION-win64.zip: the exe, profiles, README, the
# manual as text and HTML, the licences and SHA256SUMS; the same bytes on
# every run (scripts/dist: SOURCE_DATE_EPOCH, fixed zip times).
.PHONY: dist
dist: $(BWIN)/cmremedy.exe $(WINDEPS)/.ok
	@scripts/dist $(VERSION) $(BWIN)/cmremedy.exe build/dist

# Areas with their own rules (Wine rig, fuzzing) add to CHECK_TARGETS.
-include $(wildcard tests/*/rules.mk)
