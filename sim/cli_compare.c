// SPDX-License-Identifier: GPL-2.0-only
/* bbmsim compare: placeholder replaced below. */
#include "cli.h"

int cmd_compare(int argc, char **argv)
{
	die("compare: not built yet");
}
