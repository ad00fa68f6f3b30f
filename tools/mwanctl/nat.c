// SPDX-License-Identifier: GPL-2.0
/*
 * mwanctl nat: stateless 1:1 IPv4 NAT per uplink, of one address or of a
 * prefix onto one of the same length (NETMAP-style): the source of packets
 * leaving through the uplink, the destination of packets arriving from it.
 */
#include <stdio.h>

#include "mwanctl.h"
#include "xlate.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: mwanctl nat { add | replace } uplink NAME inside ADDR[/LEN] outside ADDR[/LEN]\n"
		"       mwanctl nat del uplink NAME inside ADDR[/LEN]\n"
		"       mwanctl nat show\n"
		"       mwanctl nat help\n"
		"where  ADDR[/LEN] := an IPv4 address or prefix without host bits,\n"
		"                     LEN := 1-32 (default 32), the same LEN inside and outside\n"
		"       replace sets the outside address of a mapping, atomically\n");
}

int nat_main(int argc, char **argv)
{
	return xlate_main(&xlate_nat, usage, argc, argv);
}
