/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differences between the kernels mwan builds for (6.1 and 6.12),
 * probed by what the headers define rather than by version numbers.
 */
#ifndef _MWAN_COMPAT_H
#define _MWAN_COMPAT_H

#include <linux/netlink.h>

/*
 * Extack messages that name an object. 6.2 gave struct netlink_ext_ack a
 * buffer for formatted messages; before that the message must outlive the
 * request, so it goes to a buffer of the netns (see mwan_net.errmsg): two
 * requests of one netns failing at the same moment may then both report the
 * later text.
 */
#ifdef NETLINK_MAX_FMTMSG_LEN
#define MWAN_ERRMSG_LEN	0
#define mwan_err_fmt(mn, extack, attr, fmt, ...) \
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, ##__VA_ARGS__)
#else
#define MWAN_ERRMSG_LEN	80
#define mwan_err_fmt(mn, extack, attr, fmt, ...) do {			\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		snprintf((mn)->errmsg, sizeof((mn)->errmsg), fmt,	\
			 ##__VA_ARGS__);				\
		__extack->_msg = (mn)->errmsg;				\
		__extack->bad_attr = (attr);				\
	}								\
} while (0)
#endif

#endif /* _MWAN_COMPAT_H */
