/**
 * Normalises what people typed into form cells: full-width digits and signs, comparator glyph variants
 * (≧ ≦ ═ ＞ ＜ >= <=), stray spaces. Everything downstream compares normalised text only.
 */

const GLYPHS: Record<string, string> = {
  '≧': '≥',
  '≦': '≤',
  '═': '=',
  '＝': '=',
  '＞': '>',
  '＜': '<',
  '％': '%',
  '．': '.',
  '，': ',',
  '／': '/',
  '－': '-',
  '—': '—',
  '（': '(',
  '）': ')',
};

/** Anything normalizeText would change; most cells ("≥90%", "达成预期指标") contain none of it. */
const NEEDS_WORK = /[\uff00-\uffef\s\u3000≧≦═—（）\\]|[<>]=/;

export function normalizeText(raw: string | null | undefined): string {
  if (raw == null) return '';
  if (!NEEDS_WORK.test(raw)) return raw;
  let out = '';
  for (const ch of raw) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xfee0);
    else if (GLYPHS[ch] !== undefined) out += GLYPHS[ch];
    else if (ch === ' ' || ch === '\t' || ch === '\u3000' || ch === '\n' || ch === '\r') continue;
    else out += ch;
  }
  return out.replace(/>=/g, '≥').replace(/<=/g, '≤').replace(/\\geq/g, '≥').replace(/\\leq/g, '≤');
}

/** 一级指标 texts lose their declared weight ("产出指标 (50分)") before matching sections. */
export function normalizeLevel1(raw: string | null | undefined): string {
  return normalizeText(raw).replace(/\(\d+(\.\d+)?分\)$/, '');
}
