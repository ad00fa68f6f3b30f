/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few types kmod/lib/ uses, from the kernel in the module and from the C
 * library in host unit tests and fuzzers: lib/ never includes anything else.
 */
#ifndef _MWAN_LIB_TYPES_H
#define _MWAN_LIB_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

#endif /* _MWAN_LIB_TYPES_H */
