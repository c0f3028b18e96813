/* report_int.h - helpers shared by report.c, report_load.c and
 * report_text.c only; not part of the module's contract. */
#ifndef CM_REPORT_INT_H
#define CM_REPORT_INT_H

#include <stdint.h>

/* Big enough for "hex(ffffffff)" and every REG_* name. */
#define REPORT_TYPE_NAME_MAX 32

/* The name of any registry type: regtype_name() for the known ones, else
 * "hex(N)" (N lowercase hex, as regedit writes unknown types), so that a
 * value of a type Windows has no name for still round-trips. */
const char *report_type_name(uint32_t type, char buf[REPORT_TYPE_NAME_MAX]);

/* The inverse of report_type_name.  0 or -1. */
int report_type_parse(const char *name, uint32_t *type);

#endif
