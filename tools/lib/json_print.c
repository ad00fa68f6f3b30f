// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON output. The JSON writer keeps one "first element" flag per
 * nesting level to place commas, and indents by four spaces per level in
 * pretty mode, as iproute2's json_writer does.
 */
#include <inttypes.h>
#include <stdarg.h>

#include "json_print.h"

#define MAX_DEPTH 16

static FILE *out;
static bool json, pretty;
static unsigned int depth;
static bool first[MAX_DEPTH];

void json_print_init(FILE *fp, bool as_json, bool as_pretty)
{
	out = fp;
	json = as_json;
	pretty = as_json && as_pretty;
	depth = 0;
	first[0] = true;
}

bool is_json_context(void)
{
	return json;
}

FILE *print_output(void)
{
	return out ? out : stdout;
}

static void indent(void)
{
	unsigned int i;

	fputc('\n', print_output());
	for (i = 0; i < depth; i++)
		fputs("    ", print_output());
}

static void json_string(const char *s)
{
	FILE *f = print_output();
	unsigned char c;

	fputc('"', f);
	while ((c = *s++)) {
		switch (c) {
		case '"':
		case '\\':
			fputc('\\', f);
			fputc(c, f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value at the current level. */
static void json_key(const char *key)
{
	if (!first[depth])
		fputc(',', print_output());
	first[depth] = false;
	if (pretty && depth)
		indent();
	if (key) {
		json_string(key);
		fputs(pretty ? ": " : ":", print_output());
	}
}

static void json_open(const char *key, char c)
{
	json_key(key);
	fputc(c, print_output());
	if (depth + 1 < MAX_DEPTH)
		depth++;
	first[depth] = true;
}

static void json_close(char c)
{
	bool empty = first[depth];

	if (depth)
		depth--;
	if (pretty && !empty)
		indent();
	fputc(c, print_output());
}

void open_json_object(const char *key)
{
	if (json)
		json_open(key, '{');
}

void close_json_object(void)
{
	if (json)
		json_close('}');
}

void open_json_array(const char *key)
{
	if (json)
		json_open(key, '[');
}

void close_json_array(void)
{
	if (json)
		json_close(']');
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (json) {
		if (t & PRINT_JSON) {
			json_key(key);
			json_string(value);
		}
	} else if ((t & PRINT_FP) && fmt) {
		fprintf(print_output(), fmt, value);
	}
}

void print_null(enum output_type t, const char *key, const char *fmt,
		const char *text)
{
	if (json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fputs("null", print_output());
		}
	} else if ((t & PRINT_FP) && fmt) {
		fprintf(print_output(), fmt, text);
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fprintf(print_output(), "%u", value);
		}
	} else if ((t & PRINT_FP) && fmt) {
		fprintf(print_output(), fmt, value);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fprintf(print_output(), "%" PRIu64, value);
		}
	} else if ((t & PRINT_FP) && fmt) {
		fprintf(print_output(), fmt, value);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool value)
{
	if (json) {
		if (t & PRINT_JSON) {
			json_key(key);
			fputs(value ? "true" : "false", print_output());
		}
	} else if ((t & PRINT_FP) && fmt) {
		fprintf(print_output(), fmt, value ? "true" : "false");
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vfprintf(print_output(), fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!depth) {
		fputc('\n', print_output());
		first[0] = true;
	}
}
