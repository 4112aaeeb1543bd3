/**
 * Traditional -> Simplified folding for the characters the lexical reader's cues and patterns use,
 * so DRCD-style Traditional questions (幾點、多少錢、電話) meet the same table. One character for
 * one character: offsets into the folded text are offsets into the original.
 */

const PAIRS =
  '幾几個个長长錢钱點点時时裡里話话電电網网郵邮價价費费運运麼么誰谁為为樣样與与數数號号們们嗎吗這这項项種种' +
  '務务鐘钟週周間间區区縣县鎮镇層层處处開开關关際际買买賣卖貨货單单戶户碼码聯联係系線线續续證证優优幣币萬万' +
  '億亿兩两塊块歲岁專专業业門门場场條条張张員员後后鬥斗國国會会來来對对說说發发當当經经華华動动進进' +
  '車车無无學学實实據据產产農农歷历遠远邊边還还過过達达選选邏逻傳传號号將将變变質质體体麗丽東东陸陆臺台灣湾' +
  '區区鐵铁廣广條条紀纪讓让親亲總总灣湾辦办積积額额態态應应頭头機机點点創创參参舉举館馆級级屆届隊队顆颗' +
  '內内簽签請请問问題题撥拨營营絡络預预訂订換换帳账註注冊册錄录銀银廳厅護护險险餘余貸贷償偿罰罚';

const MAP: Map<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = Array.from(PAIRS);
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  return map;
})();

/** Every Traditional character MAP knows (all in the BMP, so one UTF-16 unit each). */
const TRADITIONAL = new RegExp(`[${[...MAP.keys()].join('')}]`, 'g');

/**
 * The text with known Traditional characters replaced by their Simplified forms (same length). The
 * reader folds every sentence it reads on every question: a native regex scan, not a loop that
 * rebuilds the string a character at a time.
 */
export function foldTraditional(text: string): string {
  return text.replace(TRADITIONAL, (ch) => MAP.get(ch)!);
}
