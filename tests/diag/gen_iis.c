// SPDX-License-Identifier: ISC
/* gen_iis.c - writes a synthetic IIS W3C log of about N megabytes, shaped
 * like a busy management point's (for scripts/bench-diagnose):
 * "gen_iis MEGABYTES > u_ex260102.log".  Deterministic. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long seed = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

int
main(int argc, char **argv)
{
	static const char *const stems[] = { "/SMS_MP/.sms_aut",
	    "/SMS_MP/.sms_pol", "/CCM_Incoming/", "/ccm_system/request",
	    "/SMS_DP_SMSPKG$/Content_1", "/CCM_Client/ccmsetup.cab" };
	static const char *const queries[] = { "MPLIST", "SITESIGNCERT",
	    "MPKEYINFORMATIONEX", "{A1B2C3D4-0000-1111-2222-333344445555}",
	    "-" };
	static const char *const agents[] = { "SMS+CCM+5.0",
	    "Microsoft+BITS/7.8", "ccmhttp",
	    "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+"
	    "(KHTML,+like+Gecko)+Chrome/120.0.0.0+Safari/537.36" };
	unsigned long long want, done = 0;
	unsigned long sec = 0;
	int n, status, sub;

	if (argc != 2 || (want = strtoull(argv[1], NULL, 10)) == 0) {
		fprintf(stderr, "usage: gen_iis MEGABYTES\n");
		return 2;
	}
	want *= 1024ULL * 1024ULL;
	n = printf("#Software: Microsoft Internet Information Services 10.0\r\n"
	    "#Version: 1.0\r\n#Date: 2026-01-02 00:00:00\r\n"
	    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query "
	    "s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status "
	    "sc-substatus sc-win32-status time-taken\r\n");
	done += (unsigned long long)n;
	while (done < want) {
		unsigned r = rnd(1000);
		const char *stem = stems[rnd(6)];
		/* 2% 403.7 on /SMS_MP/ from a few CMG connection points, a
		 * little of everything else, mostly 200. */
		if (r < 20) {
			status = 403;
			sub = 7;
			stem = stems[rnd(2)];
		} else if (r < 22) {
			status = 403;
			sub = 16;
		} else if (r < 40) {
			status = 404;
			sub = 0;
		} else if (r < 60) {
			status = 401;
			sub = 2;
		} else {
			status = 200;
			sub = 0;
		}
		n = printf("2026-01-02 %02lu:%02lu:%02lu 10.0.0.10 %s %s %s "
		    "443 "
		    "%s 10.%u.%u.%u %s - %d %d 0 %u\r\n", sec / 3600 % 24,
		    sec / 60 % 60, sec % 60, rnd(4) ? "GET" : "POST", stem,
		    queries[rnd(5)], rnd(3) ? "-" : "CONTOSO\\svc_cm",
		    r < 22 ? 1u : rnd(250), r < 22 ? 0u : rnd(250),
		    r < 22 ? 20u + rnd(3) : rnd(250), agents[rnd(4)], status,
		    sub, rnd(5000));
		if (n < 0)
			return 1;
		done += (unsigned long long)n;
		if (rnd(40) == 0)
			sec++;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
