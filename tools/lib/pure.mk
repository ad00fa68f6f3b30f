# SPDX-License-Identifier: GPL-2.0
# The tools/lib sources that need no libmnl (parsing, text and JSON output),
# for host unit tests and fuzzers: $(TOOLS_PURE_SRCS) are absolute paths.
TOOLS_LIB_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
TOOLS_PURE_SRCS := $(addprefix $(TOOLS_LIB_DIR)/, \
	batch.c \
	json_print.c \
	policy_parse.c \
	policy_print.c \
	rule_parse.c \
	rule_print.c \
	uplink_parse.c \
	uplink_print.c \
	utils.c \
	wg_parse.c \
	wg_print.c \
	xlate_parse.c \
	xlate_print.c)

# mwan-healthd's pure parts (verdict arithmetic, command line, echo requests
# and replies: no libmnl, only the socket calls of probe.c), likewise.
HEALTHD_PURE_SRCS := $(addprefix $(patsubst %/,%,$(dir $(TOOLS_LIB_DIR)))/healthd/, \
	args.c \
	echo.c \
	probe.c \
	verdict.c \
	wgmsg.c)
