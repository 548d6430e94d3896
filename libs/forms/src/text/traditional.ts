import type { ConverterFunction } from 'opencc-js';

/**
 * Characters that exist only in traditional script and are common in budget documents. Seeing one is the
 * cheap signal that the (slow to initialise) OpenCC converter is worth loading.
 */
const TRADITIONAL_CHARS =
  '個們這費預資產項實際標數質經濟績據總額與專門單計劃執準務設備網絡電腦運維護會議報價區縣級滿認證書關係時間開發對應業處當為變體現錢圖館機構廣場東車輛優點說請讓還進過達選頭顯層屬帶帳幣幹廠態戰擴擔擇壓歷歸權樣檢殘氣決況測無煙燈營環畫療盡監碼確積稅種穩籌簡範糧紀約統絕綜綱編織置羅義習職聯聲臨興舉萬葉號補製複見規視覽訂討記許論評識試詳語調諸謝讀貢負財責貨販貧購貿賣輔輸轉農遠違連遲適遺邊鄉鄰醫針鋼錄錯鐵長開閱陳陸陰階隊隨險隱難雜離電順須領題願類顧風飛養駕驗髮齊辦務衛護務億劃廳縣鎮攤劑勞勵將';
const TRADITIONAL_ONLY = new Uint8Array(65536);
for (let i = 0; i < TRADITIONAL_CHARS.length; i++) TRADITIONAL_ONLY[TRADITIONAL_CHARS.charCodeAt(i)] = 1;

let converter: ConverterFunction | undefined;

export function hasTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (TRADITIONAL_ONLY[text.charCodeAt(i)] === 1) return true;
  return false;
}

/** Traditional → simplified with OpenCC, loaded on first use only. */
export function toSimplified(text: string): string {
  if (!converter) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const OpenCC = require('opencc-js') as typeof import('opencc-js');
    converter = OpenCC.Converter({ from: 't', to: 'cn' });
  }
  return converter(text);
}
