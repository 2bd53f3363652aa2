// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one main() of every Check suite: runs the file's test_suite() and
 * fails when any test fails or when no test ran at all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

Suite *test_suite(void);

int main(void)
{
	SRunner *sr = srunner_create(test_suite());

	srunner_run_all(sr, CK_NORMAL);
	int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (run == 0) {
		fprintf(stderr, "no test ran\n");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
