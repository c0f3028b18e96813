#!/bin/sh
# SPDX-License-Identifier: ISC
# make-utf16.sh - regenerates each *.utf16.reg fixture from its *.utf8.reg
# source (CRLF text) the way regedit stores text: a UTF-16LE byte order
# mark, then the text in UTF-16LE.  Run from this folder after editing a
# source; commit both files.  (wine-export.reg is a real `wine reg export`
# product and has no source.)
set -eu
for src in types edit-replace edit-create edit-delete; do
	{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$src.utf8.reg"; } \
	    > "$src.utf16.reg"
done
