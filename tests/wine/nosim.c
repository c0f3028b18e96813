/* nosim.c - stands in for backend_sim.c in the Wine driver until that
 * module is on main (backend.c refers to it); linked only while it is
 * missing. */
#include "backend.h"

int
backend_sim_open(const char *dir, struct backend **out, struct cm_err *err)
{
	(void)dir;
	*out = NULL;
	return cm_err_set(err, CM_ERR_USAGE, 0, "no sim backend in this build");
}
