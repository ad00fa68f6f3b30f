/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names as they arrive in netlink attributes: len bytes, of which the last
 * may be the terminating NUL; any other NUL makes the name invalid.
 */
#ifndef _MWAN_LIB_NAME_H
#define _MWAN_LIB_NAME_H

#include "mwan_lib_types.h"

/*
 * Uplink names: 1..MWAN_NAME_MAXLEN-1 characters from [A-Za-z0-9_.-],
 * starting with a letter or digit (so that no name reads as an option).
 */
bool mwan_uplink_name_valid(const char *name, size_t len);

/*
 * Device names as the kernel accepts them (dev_valid_name()): 1..IFNAMSIZ-1
 * bytes, none of them '/', ':' or white space, and not "." or "..".
 */
bool mwan_ifname_valid(const char *name, size_t len);

#endif /* _MWAN_LIB_NAME_H */
