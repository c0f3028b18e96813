# SPDX-License-Identifier: ISC
# tests/wine/rules.mk - the Windows side: Winelib build (`make wine`), the
# mingw-w64 compile check (`make windows-check`) and the Wine test rig
# (`make wine-check`, part of `make check`).  Included by the Makefile.

WINEGCC  ?= winegcc
MINGW_CC ?= x86_64-w64-mingw32-gcc
BW = build/wine
BM = build/mingw

# Winelib: Wine's headers and advapi32, Debian's libinih and libjansson.
# _WIN32 is defined, so the Windows paths of the code are the ones built.
WINE_CFLAGS = -m64 $(CSTD) -O2 -g -Isrc $(PKG_CFLAGS) -DCM_VERSION='"$(VERSION)"'
WINE_LIBSRC = $(filter-out src/main.c,$(SRC_ALL))
WINE_LIBOBJ = $(WINE_LIBSRC:src/%.c=$(BW)/obj/%.o)
WINE_TOOLS  = $(BW)/cmremedy.exe.so $(BW)/w32test.exe.so $(BW)/fakesvc.exe \
    $(BW)/mswait.exe

.PHONY: wine windows-check wine-check
wine: $(WINE_TOOLS)

$(BW)/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(@D)
	$(WINEGCC) $(WINE_CFLAGS) -c -o $@ $<
$(BW)/obj:
	mkdir -p $@

# winegcc -o X.exe writes X.exe (a loader script) and X.exe.so.
$(BW)/libcmremedy.a: $(WINE_LIBOBJ)
	rm -f $@ && ar rcs $@ $^
$(BW)/cmremedy.exe.so: $(BW)/obj/main.o $(BW)/libcmremedy.a
	$(WINEGCC) -m64 -o $(BW)/cmremedy.exe $^ $(PKG_LIBS) -ladvapi32 -lcrypt32
# The backend-level driver takes from the archive only what it calls.
$(BW)/w32test.exe.so: tests/wine/w32test.c $(BW)/libcmremedy.a
	$(WINEGCC) $(WINE_CFLAGS) -Isrc -o $(BW)/w32test.exe $^ \
	    $(PKG_LIBS) -ladvapi32 -lcrypt32

# Real Windows programs for the rig: the fake service and the benchmark's
# reference wait loop.
$(BW)/fakesvc.exe: tests/wine/fakesvc.c | $(BW)/obj
	$(MINGW_CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $< -ladvapi32
$(BW)/mswait.exe: tests/wine/mswait.c | $(BW)/obj
	$(MINGW_CC) -std=c11 -Wall -Wextra -Werror -O2 -municode -o $@ $< -ladvapi32

# Every source against the real MinGW headers, with the flags of the real
# build ($(CSTD): -std=c11 -Wall -Wextra -Werror; its _POSIX_C_SOURCE also
# selects mingw's C99 printf, so %zu works).  inih and jansson have no
# mingw package here: their Debian headers are reached through symlinks,
# so only those two headers come from /usr/include.
MINGW_INC = $(BM)/inc
$(MINGW_INC)/.stamp:
	mkdir -p $(MINGW_INC)
	for h in ini.h jansson.h jansson_config.h; do \
	    ln -sf /usr/include/$$h $(MINGW_INC)/$$h; done
	touch $@
$(BM)/obj/%.o: src/%.c $(SRC_H) $(MINGW_INC)/.stamp
	@mkdir -p $(@D)
	$(MINGW_CC) $(CSTD) -Isrc -I$(MINGW_INC) -DCM_VERSION='"$(VERSION)"' \
	    -c -o $@ $<
windows-check: $(patsubst src/%.c,$(BM)/obj/%.o,$(SRC_ALL))
	@echo "windows-check: $(words $^) sources compile clean with $(MINGW_CC)"

wine-check: $(WINE_TOOLS)
	@tests/wine/run

CHECK_TARGETS += windows-check wine-check
DEMO_TARGETS += wine
