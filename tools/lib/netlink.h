/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink for the mwan tools, over libmnl: open a socket, resolve
 * the "mwan" family and its "events" group, run a request to its ack or a
 * dump to its end. Failures are reported on stderr as one "Error: " line,
 * with the kernel's extended ack when it gave one.
 */
#ifndef MWAN_TOOLS_NETLINK_H
#define MWAN_TOOLS_NETLINK_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Room for the largest message a dump packs (32 KiB, as iproute2 reads). */
#define MWAN_NL_RECV_SIZE 32768

struct mwan_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t events_group;
};

/* Names an attribute of a request, for "(attribute NAME)" in errors. */
typedef const char *(*attr_name_t)(unsigned int type);

int mwan_nl_open(struct mwan_nl *nl);
/* As mwan_nl_open(), but -ENOENT without a word when the module is not loaded. */
int mwan_nl_try_open(struct mwan_nl *nl);
void mwan_nl_close(struct mwan_nl *nl);

/* Starts a request for cmd in buf (MNL_SOCKET_BUFFER_SIZE bytes). */
struct nlmsghdr *mwan_nl_msg(struct mwan_nl *nl, void *buf, uint8_t cmd,
			     uint16_t flags);

/*
 * Sends a request and calls cb for each reply until the ack (or, for
 * NLM_F_DUMP, the end of the dump). Returns 0, -1 after printing the error,
 * or -EINTR without printing when the dump was interrupted by a change
 * and must be run again.
 */
int mwan_nl_talk(struct mwan_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		 void *data, attr_name_t names);

int mwan_nl_join_events(struct mwan_nl *nl);

/* Copies a NUL-terminated string attribute of at most size - 1 characters; -1 if it is not one. */
int mwan_attr_get_str(const struct nlattr *attr, char *dst, size_t size);

/* Objects of one kind, elem_size bytes each, that from_msg fills from a reply. */
struct mwan_list {
	void *v;
	size_t n, size;
	size_t elem_size;
	int (*from_msg)(const struct nlmsghdr *nlh, void *obj);
};

/* Makes the request in buf: a GET of the object req names, or a dump. */
typedef struct nlmsghdr *(*mwan_req_t)(struct mwan_nl *nl, void *buf, const void *req);

/*
 * Collects the objects of the replies to the request build() makes, again
 * (a few times) while changes interrupt the dump. Returns 0, or -1 after
 * printing the error; what names the objects in it ("uplinks").
 */
int mwan_nl_fetch(struct mwan_nl *nl, mwan_req_t build, const void *req,
		  struct mwan_list *l, attr_name_t names, const char *what);

#endif
