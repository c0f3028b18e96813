// SPDX-License-Identifier: ISC
/* regkey.h - registry key paths as a registry view sees them. */
#ifndef CM_REGKEY_H
#define CM_REGKEY_H

#include "regval.h"

/*
 * The path a 64-bit program uses for canonical key ("HKLM\\...") in view:
 * as on 64-bit Windows, the 32-bit view of HKLM\SOFTWARE\X is
 * HKLM\SOFTWARE\WOW6432Node\X (SOFTWARE matched in any case); nothing
 * outside SOFTWARE is redirected, and a path already under WOW6432Node is
 * taken as it is.  (Windows also shares a few SOFTWARE subkeys between the
 * views; no ConfigMgr key is among them.)  malloc'd, the caller frees it;
 * NULL when memory ran out.
 */
char *regkey_view_path(const char *key, enum regview view);

#endif
