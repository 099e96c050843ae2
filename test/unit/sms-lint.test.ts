import { describe, expect, it } from 'vitest';
import { FORBIDDEN_KEYWORDS_V1, ZKeywordList, type KeywordList } from '../../domain/sms/keywords';
import { lintMessage, type LintIssue, type LintMessageInput } from '../../domain/sms/lint';
import { REFERENCE_TERMS } from '../../domain/terms';

const SIG = REFERENCE_TERMS.sms.signature; // 【内蒙古自治区地震局】, 11 characters
const B = SIG.length; // where the body starts when the signature leads

function lint(content: string, extra: Partial<LintMessageInput> = {}) {
  return lintMessage({ content, category: 'notification', signature: SIG, ...extra });
}

function only(issues: LintIssue[], code: LintIssue['code']): LintIssue[] {
  return issues.filter((issue) => issue.code === code);
}

/** the issue's range, read back from the content: what a UI would highlight */
function highlighted(content: string, issue: LintIssue): string {
  expect(issue.start).toBeTypeOf('number');
  expect(issue.end).toBeTypeOf('number');
  return content.slice(issue.start, issue.end);
}

describe('legitimate notifications pass', () => {
  it.each([
    `${SIG}地震速报：5月14日10时20分在阿拉善盟发生3.2级地震，请注意防范。`,
    `${SIG}验证码123456，5分钟内有效`,
    `验证码123456，5分钟内有效${SIG}`,
    `${SIG}您正在注册地震预警APP账号，验证码654321，10分钟内有效，请勿泄露。`,
    `${SIG}会议通知：5月20日9:00在局三楼会议室召开防震减灾工作会议，请准时参加。`,
    `${SIG}温馨提示：地震发生时请远离人流密集场所，固定高大家具，保持冷静。`,
    `${SIG}安全预警：震级≥5.0时请撤离至空旷地带，气温-10℃，注意保暖。详见http://www.example.gov.cn/a_b`,
    `${SIG}生态移民搬迁工作推进会定于6月3日召开，请各单位派员参加。`,
    `${SIG}您本年度短信套餐剩余额度3200条，请合理安排使用。`,
    `${SIG}节日问候：值此新春佳节，祝您和家人身体健康、万事如意！`,
  ])('%s', (content) => {
    const result = lint(content);
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.content).toBe(content);
  });
});

describe('the bound signature (Art.5 §1)', () => {
  it('reports a missing signature', () => {
    const result = lint('验证码123456，5分钟内有效');
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'SIGNATURE_MISSING', message: expect.stringContaining(SIG) })]);
  });

  it('reports a different signature where the signature belongs', () => {
    const content = '【地震局】验证码123456，5分钟内有效';
    const [issue] = lint(content).issues;
    expect(issue).toMatchObject({ code: 'SIGNATURE_MISMATCH', start: 0, end: 5 });
    expect(highlighted(content, issue!)).toBe('【地震局】');
  });

  it('reports the signature given twice, pointing at the second', () => {
    const content = `${SIG}验证码123456${SIG}`;
    const issues = lint(content).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'SIGNATURE_REPEATED', start: 20, end: 31 });
  });

  it('reports a signature in the middle of the text', () => {
    const content = `验证码123456${SIG}，5分钟内有效`;
    const issues = lint(content).issues;
    expect(issues).toEqual([expect.objectContaining({ code: 'SIGNATURE_POSITION', start: 9, end: 20 })]);
  });

  it('accepts the signature without its brackets in the terms', () => {
    expect(lintMessage({ content: `${SIG}验证码123456`, category: 'notification', signature: '内蒙古自治区地震局' }).ok).toBe(true);
  });

  it('reports a message that is only the signature', () => {
    expect(only(lint(SIG).issues, 'EMPTY_BODY')).toHaveLength(1);
    expect(only(lint(`${SIG} \u200B `).issues, 'EMPTY_BODY')).toHaveLength(1);
  });
});

describe('unsupported symbols (Art.8 §3), with their positions', () => {
  it.each(['¥', '￥', '★', '☆', '☞', '√', '✓', '✔', '※', '■', '●', '→', '♥', '™'])('rejects %s', (symbol) => {
    const content = `${SIG}优惠${symbol}活动`;
    const issues = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(issues).toEqual([expect.objectContaining({ start: B + 2, end: B + 3, symbolKind: 'symbol', text: symbol })]);
    expect(issues[0]!.message).toContain(symbol);
  });

  it.each([
    ['^_^', 3],
    ['^-^', 3],
    ['^^', 2],
    ['T_T', 3],
    ['T^T', 3],
    ['>_<', 3],
    ['-_-', 3],
    [':)', 2],
    [':-)', 3],
    [':(', 2],
    [';)', 2],
    [':D', 2],
  ])('rejects the keyboard emoticon %s', (emoticon, length) => {
    const content = `${SIG}今天放假${emoticon}，注意安全`;
    const issues = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(issues).toEqual([expect.objectContaining({ start: B + 4, end: B + 4 + length, symbolKind: 'emoticon' })]);
    expect(highlighted(content, issues[0]!)).toBe(emoticon);
  });

  it('finds a full-width emoticon ＾＿＾ too', () => {
    const content = `${SIG}谢谢＾＿＾`;
    const [issue] = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(highlighted(content, issue!)).toBe('＾＿＾');
  });

  it('does not mistake times, ratios, URLs or Chinese punctuation for emoticons', () => {
    expect(lint(`${SIG}会议10:30开始，比例1:2，网址http://www.example.gov.cn，注：D区入场`).issues).toEqual([]);
  });

  it.each([
    ['😀', 2, 'a face'],
    ['👍🏽', 4, 'a thumb with a skin tone'],
    ['👨‍👩‍👧', 8, 'a ZWJ family sequence'],
    ['❤️', 2, 'a heart with variation selector 16'],
    ['🇨🇳', 4, 'a flag'],
    ['1️⃣', 3, 'a keycap'],
    ['☎️', 2, 'a telephone with variation selector'],
  ])('rejects the emoji %s (%i code units, %s) as one finding', (emoji, length) => {
    const content = `${SIG}欢迎${emoji}光临`;
    const issues = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ start: B + 2, end: B + 2 + length });
    expect(highlighted(content, issues[0]!)).toBe(emoji);
  });

  it('rejects 【 and 】 inside the body, each at its position', () => {
    const content = `${SIG}关于【防震】演练的通知`;
    const issues = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(issues.map((issue) => [issue.start, issue.end, issue.symbolKind])).toEqual([
      [B + 2, B + 3, 'bracket'],
      [B + 5, B + 6, 'bracket'],
    ]);
  });

  it('reports zero-width characters as unsupported symbols', () => {
    const content = `${SIG}请注意\u200B防范\uFEFF余震`;
    const issues = only(lint(content).issues, 'UNSUPPORTED_SYMBOL');
    expect(issues.map((issue) => [issue.start, issue.end, issue.symbolKind])).toEqual([
      [B + 3, B + 4, 'invisible'],
      [B + 6, B + 7, 'invisible'],
    ]);
    expect(issues[0]!.message).toContain('U+200B');
  });
});

describe('forbidden categories (Art.8 §2)', () => {
  const CONTRACT_CATEGORIES = [
    'stocks', 'immigration', 'real_estate', 'education', 'training', 'recruitment', 'lottery', 'rebates', 'loans',
    'debt_collection', 'investment', 'gambling', 'prizes', 'one_yuan_deals', 'counterfeits', 'medical', 'cosmetic_surgery',
    'beauty', 'clubs', 'bars', 'foot_massage', 'violence', 'threats', 'porn', 'fur', 'exam_help', 'trademark_registration',
    'add_contact', 'personal_data_sale', 'sms_channel_promotion', 'decoration', 'game_promotion', 'exhibition_promotion',
    'website_promotion', 'coupons', 'card_promotion', 'insurance_promotion', 'alcohol', 'user_acquisition_recall', 'court_notices',
  ];

  it('has a category in the v1 keyword list for every category the contract lists', () => {
    expect(FORBIDDEN_KEYWORDS_V1.version).toBe(1);
    expect(FORBIDDEN_KEYWORDS_V1.categories.map((category) => category.id).sort()).toEqual([...CONTRACT_CATEGORIES].sort());
    for (const category of FORBIDDEN_KEYWORDS_V1.categories) {
      expect(category.label).toMatch(/\p{Script=Han}/u);
      expect(category.labelEn).not.toBe('');
    }
  });

  it.each(FORBIDDEN_KEYWORDS_V1.categories.map((category) => [category.id, category.keywords[0]!] as const))(
    'rejects %s content (keyword %s), naming the category',
    (id, keyword) => {
      const content = `${SIG}本周${keyword}活动开始了`;
      const issues = only(lint(content).issues, 'FORBIDDEN_CATEGORY').filter((issue) => issue.category === id);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ start: B + 2, end: B + 2 + keyword.length });
      expect(issues[0]!.message).toContain(FORBIDDEN_KEYWORDS_V1.categories.find((category) => category.id === id)!.label);
    },
  );

  it('reports each forbidden phrase of a real spam text where it is', () => {
    const content = `${SIG}内幕消息：明日牛股推荐，加微信领取，稳赚不赔`;
    const issues = only(lint(content).issues, 'FORBIDDEN_CATEGORY');
    expect(issues.map((issue) => [issue.category, highlighted(content, issue)])).toEqual([
      ['stocks', '内幕消息'],
      ['stocks', '牛股'],
      ['add_contact', '加微信'],
      ['investment', '稳赚'],
    ]);
    expect(issues[1]).toMatchObject({ start: B + 7, end: B + 9, categoryLabel: '股票', categoryLabelEn: 'stocks' });
  });

  it('sees through full-width letters, case, spaces and zero-width characters', () => {
    const fullWidth = `${SIG}正品Ａ货，ＫＴＶ包厢`;
    expect(only(lint(fullWidth).issues, 'FORBIDDEN_CATEGORY').map((issue) => [issue.category, highlighted(fullWidth, issue)])).toEqual([
      ['counterfeits', 'Ａ货'],
      ['bars', 'ＫＴＶ'],
    ]);
    const spaced = `${SIG}低息贷 款，当天放款`;
    expect(only(lint(spaced).issues, 'FORBIDDEN_CATEGORY').map((issue) => highlighted(spaced, issue))).toEqual(['低息', '贷 款', '放款']);
    const hidden = `${SIG}股\u200B票推荐`;
    const result = lint(hidden);
    expect(only(result.issues, 'FORBIDDEN_CATEGORY')).toEqual([expect.objectContaining({ category: 'stocks', start: B, end: B + 3 })]);
    expect(only(result.issues, 'UNSUPPORTED_SYMBOL')).toEqual([expect.objectContaining({ start: B + 1, end: B + 2, symbolKind: 'invisible' })]);
  });

  it('matches Latin keywords only as whole words', () => {
    expect(lint(`${SIG}SpaceX火箭发射成功`).ok).toBe(true);
    expect(only(lint(`${SIG}高端SPA体验`).issues, 'FORBIDDEN_CATEGORY')).toEqual([expect.objectContaining({ category: 'foot_massage' })]);
  });

  it('reports the longest phrase once when keywords of one category overlap', () => {
    const content = `${SIG}一元夺宝火热进行中`;
    expect(only(lint(content).issues, 'FORBIDDEN_CATEGORY')).toEqual([expect.objectContaining({ category: 'one_yuan_deals', start: B, end: B + 4 })]);
  });

  it('takes another keyword list version without code changes', () => {
    const v2: KeywordList = ZKeywordList.parse({
      version: 2,
      categories: [...FORBIDDEN_KEYWORDS_V1.categories, { id: 'crypto_mining', label: '挖矿', labelEn: 'crypto mining', keywords: ['挖矿'] }],
    });
    const content = `${SIG}挖矿收益日结`;
    const result = lint(content, { keywordList: v2 });
    expect(result.keywordListVersion).toBe(2);
    expect(only(result.issues, 'FORBIDDEN_CATEGORY').map((issue) => issue.category)).toEqual(['crypto_mining', 'recruitment']);
    expect(lint(content).keywordListVersion).toBe(1);
  });

  it('refuses a keyword list with a category twice', () => {
    const twice = { version: 3, categories: [FORBIDDEN_KEYWORDS_V1.categories[0], FORBIDDEN_KEYWORDS_V1.categories[0]] };
    expect(ZKeywordList.safeParse(twice).success).toBe(false);
  });
});

describe('uninvited invitations (Art.8 §2)', () => {
  it.each([
    ['邀请您成为会员', '邀请您成为会员'],
    ['诚邀您加入我们平台', '邀您加入我们'],
    ['邀请注册', '邀请注册'],
    ['注册即送100积分', '注册即送'],
    ['立即注册领好礼', '立即注册领'],
  ])('flags %s', (phrase, flagged) => {
    const content = `${SIG}${phrase}`;
    const issues = only(lint(content).issues, 'UNINVITED_INVITATION');
    expect(issues.length).toBeGreaterThanOrEqual(1);
    expect(highlighted(content, issues[0]!)).toBe(flagged);
  });

  it('leaves registration codes and meeting invitations alone', () => {
    expect(lint(`${SIG}您正在注册账号，验证码123456`).ok).toBe(true);
    expect(lint(`${SIG}诚邀您参加防震减灾工作会议`).ok).toBe(true);
    expect(lint(`${SIG}邀请您加入视频会议，会议号123456`).ok).toBe(true);
  });
});

describe('unsubscribe instruction on marketing (Art.8 §3)', () => {
  const marketing = (content: string, appendUnsubscribe?: boolean) =>
    lintMessage({ content, category: 'marketing', signature: SIG, ...(appendUnsubscribe === undefined ? {} : { appendUnsubscribe }) });

  it.each(['回TD退订', '退订回T', '回N退订', '回复TD退订。', '退订请回复“TD”', '拒收请回复N', '回ｔｄ退订'])('accepts a message ending with %s', (instruction) => {
    expect(marketing(`${SIG}防震减灾科普馆5月12日免费开放，欢迎参观。${instruction}`).issues).toEqual([]);
  });

  it('accepts the instruction before a trailing signature', () => {
    expect(marketing(`防震减灾科普馆免费开放，欢迎参观。回TD退订${SIG}`).ok).toBe(true);
  });

  it('rejects marketing without one', () => {
    const result = marketing(`${SIG}防震减灾科普馆免费开放，欢迎参观。`);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'UNSUBSCRIBE_MISSING', message: expect.stringContaining('TD') })]);
    expect(result.ok).toBe(false);
  });

  it('appends 回TD退订 when asked', () => {
    const content = `${SIG}防震减灾科普馆免费开放，欢迎参观。`;
    const result = marketing(content, true);
    expect(result).toMatchObject({ ok: true, content: `${content}回TD退订`, appendedUnsubscribe: true, issues: [] });
    expect(result.segments).toMatchObject({ encoding: 'UCS2', characters: content.length + 5 });
  });

  it('appends before a trailing signature', () => {
    const result = marketing(`防震减灾科普馆免费开放。${SIG}`, true);
    expect(result.content).toBe(`防震减灾科普馆免费开放。回TD退订${SIG}`);
    expect(result.ok).toBe(true);
  });

  it('rejects an instruction whose reply is not TD, T or N', () => {
    const content = `${SIG}科普馆免费开放，拒收请回复R`;
    const result = marketing(content, true);
    expect(result.appendedUnsubscribe).toBe(false);
    const [issue] = only(result.issues, 'UNSUBSCRIBE_INVALID_REPLY');
    expect(highlighted(content, issue!)).toBe('拒收请回复R');
  });

  it('rejects an instruction that is not at the end', () => {
    const content = `${SIG}回TD退订。科普馆免费开放，欢迎参观`;
    const [issue] = marketing(content).issues;
    expect(issue).toMatchObject({ code: 'UNSUBSCRIBE_NOT_AT_END', start: B, end: B + 5 });
  });

  it('does not ask notifications or alerts for one', () => {
    expect(lint(`${SIG}会议通知：明天9点开会`).ok).toBe(true);
    expect(lint(`${SIG}地震预警：请立即避险`, { category: 'alert' }).ok).toBe(true);
  });
});

describe('the lint result', () => {
  it('lists issues in text order with Chinese and English messages', () => {
    const content = `${SIG}牛股★推荐^_^`;
    const result = lint(content);
    expect(result.issues.map((issue) => issue.start)).toEqual([B, B + 2, B + 5]);
    for (const issue of result.issues) {
      expect(issue.message).toMatch(/\p{Script=Han}/u);
      expect(issue.messageEn).toMatch(/[a-z]/);
    }
  });
});
