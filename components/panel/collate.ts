/**
 * Name order for the panel's lists. The browser's collation (localeCompare) loads its locale data on
 * first use, ~10 ms on every CRM page. Names made of ASCII letters, digits, spaces and the usual name
 * punctuation sort the same way without it: case-insensitive, punctuation before digits before letters in
 * the collation's order, lower case first on a tie. Any other name (Chinese, accented Latin) brings in
 * the collation for the whole list.
 */
const PLAIN = /^[A-Za-z0-9 \-,.']*$/;
// The collation's order of these marks, all before digits and letters.
const MARK_RANK: Record<string, string> = { ' ': '\x01', '-': '\x02', ',': '\x03', '.': '\x04', "'": '\x05' };
const plainKey = (s: string) => s.toLowerCase().replace(/[ \-,.']/g, (m) => MARK_RANK[m]!);

const plain = (a: string, b: string) => {
  const x = plainKey(a);
  const y = plainKey(b);
  return x < y ? -1 : x > y ? 1 : a > b ? -1 : a < b ? 1 : 0;
};

/** A comparator for these names: one order for the whole list, so the sort stays consistent. */
export function nameComparator(names: Iterable<string>): (a: string, b: string) => number {
  for (const n of names) if (!PLAIN.test(n)) return new Intl.Collator().compare;
  return plain;
}

export function sortByName<T extends { name: string }>(items: T[]): T[] {
  const compare = nameComparator(items.map((i) => i.name));
  return items.sort((a, b) => compare(a.name, b.name));
}
