// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl npt: stateless IPv6 prefix translation (RFC 6296) per uplink:
 * the source prefix of packets leaving through the uplink, the destination
 * prefix of packets arriving from it.
 */
#include <stdio.h>

#include "mwanctl.h"
#include "xlate.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl npt { add | replace } uplink NAME inside PREFIX outside PREFIX\n"
		"       mwanctl npt del uplink NAME inside PREFIX\n"
		"       mwanctl npt show\n"
		"       mwanctl npt help\n"
		"where  PREFIX := IPv6ADDR/LEN without host bits, LEN := 1-64,\n"
		"                 the same LEN inside and outside\n"
		"       replace sets the outside prefix of a mapping, atomically\n");
}

int npt_main(int argc, char **argv)
{
	return xlate_main(&xlate_npt, usage, argc, argv);
}
