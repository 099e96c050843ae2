import { describe, expect, it } from 'vitest';
import { isOptOutReply, matchOptOut } from '../../domain/sms/optout';

describe('recognising opt-out replies (Art.4 §6, Art.8 §3)', () => {
  it.each([
    'TD', 'td', 'Td', ' td ', 'ＴＤ', 'ｔｄ', 'T', 't', 'N', 'n', 'R', 'r', 'Ｎ',
    'STOP', 'stop', 'Stop!', 'ＳＴＯＰ', 'unsubscribe',
    '退订', '退订。', '退订！', '【退订】', '“退订”', '  退订  ', '退订\u200B',
    '取消', '取消。', '退定', '拒收', '取消订阅',
    'TD.', 'TD!', '"TD"', '(TD)', '【TD】', 'TD 退订', 'T，退订', 'td\n',
  ])('%j opts out', (reply) => {
    expect(isOptOutReply(reply)).toBe(true);
  });

  it.each([
    'Thanks', 'TDD', 'TDs', 'No problem', 'No', 'Tomorrow', 'OK', 'Yes', 'Not now', 'Today', 'N/A', "Don't stop",
    '收到', '好的，谢谢', '取消明天的会议吗？', '请问地震局电话多少', '1', '',
  ])('%j does not opt out', (reply) => {
    expect(isOptOutReply(reply)).toBe(false);
  });

  it.each(['退订了吗怎么还在发', '我已经退订了，别再发了', '请不要再发短信给我', '再发我就投诉', '骚扰短信', 'please STOP sending'])(
    '%j opts out: a refusal or complaint in words counts (Art.4 §6)',
    (reply) => {
      expect(isOptOutReply(reply)).toBe(true);
      expect(matchOptOut(reply).kind).toBe('phrase');
    },
  );

  it('says how a reply was recognised', () => {
    expect(matchOptOut(' ＴＤ ')).toEqual({ optOut: true, kind: 'keyword', matched: 'td' });
    expect(matchOptOut('退订了吗怎么还在发')).toEqual({ optOut: true, kind: 'phrase', matched: '退订' });
    expect(matchOptOut('Thanks')).toEqual({ optOut: false, kind: null, matched: null });
  });
});
