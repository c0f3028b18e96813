// SPDX-License-Identifier: ISC
/* fsperm.c - see fsperm.h. */
#define _XOPEN_SOURCE 700   /* getpwent() */
#include "fsperm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(_WIN32) && !defined(__WINE__)
#include "compat_win32.h"
#include <aclapi.h>
#include <sddl.h>
#else
#include <grp.h>
#include <pwd.h>
#endif

/* The sticky bit is XSI, not in plain POSIX headers; its value is fixed
 * by every Unix. */
#ifndef S_ISVTX
#define S_ISVTX 01000
#endif

#if defined(_WIN32) && !defined(__WINE__)
/* What lets a principal change a file or what a folder holds: its data
 * (in a folder: add a file, add a folder), its extended attributes, its
 * removal or a child's, its permissions or owner. */
#define WRITE_RIGHTS (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | \
	FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | \
	GENERIC_ALL)

/* NT SERVICE\TrustedInstaller, the owner of what Windows installs. */
static const wchar_t TRUSTED_INSTALLER[] =
    L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";

/* The SID of the user running cmremedy, in buf; NULL if unknown. */
static PSID
token_user(unsigned char *buf, DWORD len)
{
	HANDLE tok;
	DWORD got;
	PSID sid = NULL;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return NULL;
	if (GetTokenInformation(tok, TokenUser, buf, len, &got))
		sid = ((TOKEN_USER *)(void *)buf)->User.Sid;
	CloseHandle(tok);
	return sid;
}

/* Whether sid may hold a trusted file: SYSTEM, the Administrators group,
 * TrustedInstaller, or the user running cmremedy. */
static int
trusted_sid(PSID sid, PSID me)
{
	PSID ti = NULL;
	int ok;

	if (IsWellKnownSid(sid, WinLocalSystemSid) ||
	    IsWellKnownSid(sid, WinBuiltinAdministratorsSid) ||
	    (me != NULL && EqualSid(sid, me)))
		return 1;
	if (!ConvertStringSidToSidW(TRUSTED_INSTALLER, &ti))
		return 0;
	ok = EqualSid(sid, ti) != 0;
	LocalFree(ti);
	return ok;
}

/* "DOMAIN\name", else the S-1-... string, for the message. */
static void
sid_name(PSID sid, char *buf, size_t len)
{
	wchar_t name[256], dom[256], *str;
	DWORD nn = 256, nd = 256;
	SID_NAME_USE use;

	if (LookupAccountSidW(NULL, sid, name, &nn, dom, &nd, &use)) {
		if (dom[0] != L'\0')
			snprintf(buf, len, "%ls\\%ls", dom, name);
		else
			snprintf(buf, len, "%ls", name);
	} else if (ConvertSidToStringSidW(sid, &str)) {
		snprintf(buf, len, "%ls", str);
		LocalFree(str);
	} else
		snprintf(buf, len, "an unknown account");
}

/* StrictModes on Windows: the owner must be trusted (trusted_sid), and no
 * entry of the DACL that applies to the object itself may give anyone
 * else a write right.  A NULL DACL gives everyone everything. */
int
fsperm_check(const char *path, const char *what, int flags,
    struct cm_err *err)
{
	unsigned char tu[256];
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL, me = token_user(tu, sizeof(tu));
	PACL dacl = NULL;
	WCHAR *wp;
	DWORD e, i;
	char who[600];
	int rc = 0;

	(void)flags;
	if (w32_to_wide(path, &wp, err) != 0)
		return -1;
	e = GetNamedSecurityInfoW(wp, SE_FILE_OBJECT,
	    OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
	    NULL, &dacl, NULL, &sd);
	free(wp);
	if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
		return 0;    /* the open that follows reports it */
	if (e != ERROR_SUCCESS)
		return w32_fail(err, e, "%s: cannot read the %s's owner and "
		    "permissions", path, what);
	if (owner != NULL && !trusted_sid(owner, me)) {
		sid_name(owner, who, sizeof(who));
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s belongs to "
		    "%s, neither an administrator nor you: refusing to trust "
		    "it (as sshd's StrictModes does)", path, what, who);
	} else if (dacl == NULL) {
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s has no "
		    "access list (everyone may change it): refusing to trust "
		    "it (as sshd's StrictModes does)", path, what);
	}
	for (i = 0; rc == 0 && dacl != NULL && i < dacl->AceCount; i++) {
		ACE_HEADER *h;
		ACCESS_ALLOWED_ACE *a;
		PSID sid;

		if (!GetAce(dacl, i, (void **)&h) ||
		    h->AceType != ACCESS_ALLOWED_ACE_TYPE ||
		    (h->AceFlags & INHERIT_ONLY_ACE) != 0)
			continue;
		a = (ACCESS_ALLOWED_ACE *)h;
		sid = (PSID)&a->SidStart;
		/* CREATOR OWNER and OWNER RIGHTS stand for the owner,
		 * already judged above. */
		if ((a->Mask & WRITE_RIGHTS) == 0 || trusted_sid(sid, me) ||
		    IsWellKnownSid(sid, WinCreatorOwnerSid) ||
		    IsWellKnownSid(sid, WinCreatorOwnerRightsSid) ||
		    (owner != NULL && EqualSid(sid, owner)))
			continue;
		sid_name(sid, who, sizeof(who));
		rc = cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s is writable "
		    "by %s (access mask 0x%08lx): refusing to trust it (as "
		    "sshd's StrictModes does); remove that entry (icacls)",
		    path, what, who, (unsigned long)a->Mask);
	}
	LocalFree(sd);
	return rc;
}
#else
/* Whether group gid is the user private group of uid (Debian, Red Hat:
 * each user has a group of his own, and umask 002 makes files writable by
 * it): uid is its only member, as its primary group and in its member
 * list, and no other account has it as primary group.  A group with no
 * member at all (setgid programs use those) is not.  The same rule as
 * Debian's sshd applies to StrictModes. */
static int
private_group(gid_t gid, uid_t uid)
{
	struct passwd *pw, *owner;
	struct group *gr;
	int members = 0, foreign = 0;
	char *name;

	if ((gr = getgrgid(gid)) == NULL || (owner = getpwuid(uid)) == NULL ||
	    (name = strdup(owner->pw_name)) == NULL)
		return 0;
	/* getpwuid's and getgrgid's results live in static storage that
	 * the loop below overwrites: compare the member list first. */
	if (gr->gr_mem[0] != NULL) {
		members++;
		foreign = strcmp(gr->gr_mem[0], name) != 0 ||
		    gr->gr_mem[1] != NULL;
	}
	setpwent();
	while (!foreign && (pw = getpwent()) != NULL)
		if (pw->pw_gid == gid) {
			members++;
			foreign = pw->pw_uid != uid;
		}
	endpwent();
	free(name);
	return members > 0 && !foreign;
}

int
fsperm_check(const char *path, const char *what, int flags,
    struct cm_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s belongs to "
		    "user id %lu, neither root nor you: refusing to trust it "
		    "(as sshd's StrictModes does)", path, what,
		    (unsigned long)st.st_uid);
	if ((st.st_mode & 002) == 0 && (st.st_mode & 020) != 0 &&
	    private_group(st.st_gid, st.st_uid))
		return 0;
	if ((st.st_mode & 022) != 0 && !((flags & FSPERM_STICKY_OK) &&
	    S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)))
		return cm_err_set(err, CM_ERR_INPUT, 0, "%s: the %s is "
		    "writable by %s (mode %04o): refusing to trust it (as "
		    "sshd's StrictModes does); chmod go-w %s", path, what,
		    (st.st_mode & 002) ? "everyone" : "its group",
		    (unsigned)(st.st_mode & 07777), path);
	return 0;
}
#endif

int
fsperm_check_parent(const char *path, const char *what, int flags,
    struct cm_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

#ifdef _WIN32
	const char *bs = strrchr(path, '\\');
	if (bs != NULL && (slash == NULL || bs > slash))
		slash = bs;
#endif
	if (slash == NULL)
		return fsperm_check(".", what, flags, err);
	if ((dir = malloc((size_t)(slash - path) + 2)) == NULL)
		return cm_err_nomem(err);
	memcpy(dir, path, (size_t)(slash - path) + (slash == path));
	dir[(slash - path) + (slash == path)] = '\0';
	rc = fsperm_check(dir, what, flags, err);
	free(dir);
	return rc;
}
