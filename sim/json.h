/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json: what the engine and the command share to write JSON.
 */
#ifndef BBMSIM_JSON_H
#define BBMSIM_JSON_H

#include <glib.h>

/* Appends @str as a JSON string, quoted; control characters as \uXXXX. */
void json_str(GString *s, const char *str);

#endif
