#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mm/linux/apply-hooks on a Linux tree changed near the series' hooks:
#   linux-hooks.sh TREE   (TREE: a tree with mm/hugetlb_vmemmap.c and .h, 6.12's)
# exactly as upstream: applies, every unchanged line keeps its number; a
# context line of a hunk changed: applies with fuzz, one warning naming the
# hook and the function; a line the series changes, changed: exit 1, the
# error names the hook and the function.
set -u
here=$(dirname "$(readlink -f "$0")")
apply="$here/../mm/linux/apply-hooks"
patch="$here/../mm/linux/series-hooks.patch"
tree=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# variant NAME SED: a copy of TREE with SED applied to hugetlb_vmemmap.c
variant() {
	mkdir -p "$t/$1/mm"
	cp "$tree/mm/hugetlb_vmemmap.h" "$t/$1/mm/"
	sed "$2" "$tree/mm/hugetlb_vmemmap.c" >"$t/$1/mm/hugetlb_vmemmap.c"
	cmp -s "$t/$1/mm/hugetlb_vmemmap.c" "$tree/mm/hugetlb_vmemmap.c" && [ -n "$2" ] &&
		fail "$1: the change did not change the file"
}

# As upstream: exact, silent, and pmd_populate_kernel()'s line keeps its number.
variant exact ''
if sh "$apply" "$t/exact" "$patch" "$t/out-exact" 2>"$t/err"; then
	[ -s "$t/err" ] && fail "exact: unexpected messages: $(cat "$t/err")"
	line=$(grep -n 'pmd_populate_kernel(&init_mm, pmd, pgtable);' "$tree/mm/hugetlb_vmemmap.c" |
		cut -d: -f1)
	awk -v want="$line" '
		/^#line / { n = $2; f = $3; next }
		/pmd_populate_kernel\(&init_mm, pmd, pgtable\);/ {
			exit !(n == want && f == "\"mm/hugetlb_vmemmap.c\"")
		}
		{ n++ }' "$t/out-exact/mm/hugetlb_vmemmap.lx.c" ||
		fail "exact: pmd_populate_kernel() is not at mm/hugetlb_vmemmap.c:$line in the compiled file"
	grep -q '^#line [0-9]* "patched/mm/hugetlb_vmemmap.c"' "$t/out-exact/mm/hugetlb_vmemmap.lx.c" ||
		fail "exact: the series' lines are not numbered as the patched copy's"
else
	fail "exact: does not apply: $(cat "$t/err")"
fi

# Upstream rewrote a comment that is context of the split's hook: fuzz, one warning.
variant fuzz 's|/\* Make pte visible before pmd. See comment in pmd_install(). \*/|/* PTEs before the PMD. */|'
if sh "$apply" "$t/fuzz" "$patch" "$t/out-fuzz" 2>"$t/err"; then
	grep -q 'warning: .*applied with fuzz (hook vmemmap_update_pmd_range_start in vmemmap_split_pmd())' "$t/err" ||
		fail "fuzz: no warning naming the hook and function: $(cat "$t/err")"
	grep -q 'vmemmap_update_pmd_range_start(pmd, start, start + PMD_SIZE);' \
		"$t/out-fuzz/mm/hugetlb_vmemmap.c" || fail "fuzz: the hook is not in the patched file"
else
	fail "fuzz: does not apply: $(cat "$t/err")"
fi

# Upstream changed the very line the series changes: exit 1, hook and function named.
variant conflict 's|if (!(walk->flags \& VMEMMAP_SPLIT_NO_TLB_FLUSH))|if (!(walk->flags \& (VMEMMAP_SPLIT_NO_TLB_FLUSH)))|'
sh "$apply" "$t/conflict" "$patch" "$t/out-conflict" 2>"$t/err"
rc=$?
[ $rc -eq 1 ] || fail "conflict: exit $rc, want 1"
grep -q "the series' hook vmemmap_update_pmd_range_start in vmemmap_split_pmd() does not apply" "$t/err" ||
	fail "conflict: the error does not name the hook and the function: $(cat "$t/err")"
[ "$(wc -l <"$t/err")" -eq 1 ] || fail "conflict: more than one error line: $(cat "$t/err")"
[ -s "$t/out-conflict/hooks.rej" ] || fail "conflict: no hooks.rej"

# A change in code the series replaces (patch 1's per-PTE callback): named too.
variant replaced 's|entry = mk_pte(walk->vmemmap_tail, PAGE_KERNEL_RO);|entry = mk_pte(walk->vmemmap_head, PAGE_KERNEL_RO);|'
sh "$apply" "$t/replaced" "$patch" "$t/out-replaced" 2>"$t/err"
grep -q "the series' hook remap_pte_range (patch 1: .*) in .*vmemmap_remap_pte()" "$t/err" ||
	fail "replaced: the error does not name patch 1 and vmemmap_remap_pte(): $(cat "$t/err")"

[ $fails -eq 0 ] && echo "linux-hooks: all passed"
[ $fails -eq 0 ]
