/** Empty-looking cells: not applicable or not filled in. */
export function isBlankValue(cell: string | undefined): boolean {
  const t = (cell ?? '').replace(/\s+/g, '');
  return t === '' || /^[-—–/\\、…·.]+$/.test(t) || t === '无';
}

/**
 * A cell that is a plain number (optionally with 分 / 万元 / 元, thousands commas): the number; a blank cell: null;
 * anything else: undefined (the cell holds text, so it is not this kind of figure).
 */
export function parseNumberCell(
  cell: string | undefined,
  units: readonly string[] = ['分'],
): number | null | undefined {
  if (isBlankValue(cell)) return null;
  let t = (cell ?? '').replace(/\s+/g, '').replace(/,(?=\d{3}\b)/g, '');
  for (const u of units) if (t.endsWith(u)) t = t.slice(0, -u.length);
  if (!/^[-+]?\d{1,12}(\.\d{1,8})?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function parseAmountCell(cell: string | undefined): number | null | undefined {
  return parseNumberCell(cell, ['万元', '元']);
}

/** An execution rate cell: "51.56%" or "100" or blank. */
export function isRateCell(cell: string | undefined): boolean {
  if (isBlankValue(cell)) return true;
  const t = (cell ?? '').replace(/\s+/g, '');
  return /^\d{1,4}(\.\d{1,6})?%$/.test(t) || /^\d(\.\d{1,6})?$/.test(t) || /^\d{1,3}(\.\d{1,6})?$/.test(t);
}

/** A bare comparator cell, as when the form puts "≥" and "99%" in separate columns. */
export function isComparator(cell: string | undefined): boolean {
  return /^(≥|≤|=|<|>|≥=|≤=)$/.test((cell ?? '').trim());
}
