/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print path for text and JSON, as in iproute2: every value is printed
 * once with both its JSON key and its text format, and the mode chosen at
 * json_print_init() decides which of the two appears.
 */
#ifndef MWAN_TOOLS_JSON_PRINT_H
#define MWAN_TOOLS_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,			/* text only */
	PRINT_JSON = 2,			/* JSON only */
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

void json_print_init(FILE *fp, bool json, bool pretty);
bool is_json_context(void);
FILE *print_output(void);

/* A key of NULL adds an element to the enclosing array (or a top-level value). */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

/* In text mode fmt gets the value as its only argument; a NULL fmt prints nothing. */
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
/* JSON true or false; in text mode fmt gets "true" or "false". */
void print_bool(enum output_type t, const char *key, const char *fmt, bool value);
/* JSON null; in text mode fmt gets text. */
void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text);
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends a top-level value: a newline after a JSON document or text line. */
void print_nl(void);

#endif
