// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the litmus parser. A test either parses or is refused
 * with "FILE:LINE: what"; a parsed one prints back without fault.
 */
#include "litmus/litmus.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[300] = "", buf[1024];
	struct litmus *lt = lit_parse("f.litmus", (const char *)data, size, err, sizeof(err));

	if (!lt) {
		if (strncmp(err, "f.litmus:", 9))
			__builtin_trap(); /* every refusal names the file and line */
		return 0;
	}
	lit_prop_str(lt, lt->cond, buf, sizeof(buf));
	for (int i = 0; i < lt->nlocs; i++)
		lit_loc_str(lt, &lt->locs[i], buf, sizeof(buf));
	lit_free(lt);
	return 0;
}
