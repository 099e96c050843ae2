/**
 * Is an end user's reply an opt-out? (Art.4 §6, Art.8 §3)
 *
 * Art.4 §6: a user who *clearly says they no longer want the customer's
 * messages, or who complains*, must never be sent to again. Missing an opt-out
 * risks a complaint and, under Art.8 §5, a permanently frozen account; a false
 * opt-out costs one recipient. So the rule leans towards opting out:
 *
 * 1. Keyword replies. The whole reply, after folding full-width forms and case
 *    and dropping surrounding punctuation, symbols and spaces, consists only of
 *    opt-out keywords: TD, T, N, R, 退订, 取消, STOP (and the usual
 *    variants UNSUBSCRIBE, 退定, 取消订阅, 拒收). " td ", "ＴＤ", "退订。",
 *    "【退订】", "Stop!", "TD 退订" all opt out. Latin letters only count as
 *    whole tokens: "Thanks", "TDD", "No problem", "Tomorrow" do not.
 * 2. Refusals and complaints in words. A reply that contains an unambiguous
 *    Chinese refusal or complaint anywhere opts out, whatever else it says:
 *    退订 (so "退订了吗怎么还在发" opts out: the user already asked and is
 *    complaining), 拒收, 取消订阅, 不要再发, 别再发, 不想再收, 骚扰, 投诉,
 *    举报, and English "unsubscribe" / "stop sending". 取消 on its own inside
 *    a sentence ("取消明天的会议") is not an opt-out: it has to be the whole
 *    reply, or be followed by 订阅/短信/发送.
 *
 * Pure: no Node built-ins, safe in the workflow sandbox and the browser.
 */
import { foldForMatching } from './text';

export type OptOutMatch = {
  optOut: boolean;
  /** how it was recognised: the whole reply is keywords, or a refusal/complaint phrase inside it */
  kind: 'keyword' | 'phrase' | null;
  /** the keyword or phrase that decided it (folded: lower case, half-width) */
  matched: string | null;
};

/** Whole-reply keywords, folded to lower case. */
export const OPT_OUT_KEYWORDS: readonly string[] = ['td', 't', 'n', 'r', 'stop', 'unsubscribe', '退订', '退定', '取消', '取消订阅', '拒收', '退'];

/** Phrases that opt out wherever they appear in a reply. */
export const OPT_OUT_PHRASES: readonly string[] = [
  '退订',
  '退定',
  '拒收',
  '取消订阅',
  '取消短信',
  '取消发送',
  '不要再发',
  '不要发了',
  '别再发',
  '别发了',
  '不要给我发',
  '别给我发',
  '不想再收',
  '不想收到',
  '不再接收',
  '骚扰',
  '投诉',
  '举报',
  'unsubscribe',
  'stop sending',
];

/** Separators between tokens, and the wrapping dropped around a reply: punctuation, symbols, spaces. */
const SEPARATOR = /[\p{P}\p{S}\p{Z}\s]+/u;

export function matchOptOut(text: string): OptOutMatch {
  const folded = foldForMatching(text).text.trim();
  const tokens = folded.split(SEPARATOR).filter((token) => token !== '');
  if (tokens.length > 0 && tokens.every((token) => OPT_OUT_KEYWORDS.includes(token))) {
    return { optOut: true, kind: 'keyword', matched: tokens[0]! };
  }
  const squeezed = folded.replace(/\s+/g, ' ');
  for (const phrase of OPT_OUT_PHRASES) {
    if (squeezed.includes(phrase)) return { optOut: true, kind: 'phrase', matched: phrase };
  }
  return { optOut: false, kind: null, matched: null };
}

/** True when the reply opts the sender out of this customer's messages (see the rules above). */
export function isOptOutReply(text: string): boolean {
  return matchOptOut(text).optOut;
}
