// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON strings, for the Perfetto timeline and every --json of the command.
 */
#include "json.h"

void json_str(GString *s, const char *str)
{
	g_string_append_c(s, '"');
	for (; *str; str++) {
		if (*str == '"' || *str == '\\')
			g_string_append_c(s, '\\');
		if ((unsigned char)*str < 0x20)
			g_string_append_printf(s, "\\u%04x", *str);
		else
			g_string_append_c(s, *str);
	}
	g_string_append_c(s, '"');
}
