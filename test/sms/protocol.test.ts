import { PDU } from 'smpp';
import { describe, expect, it } from 'vitest';
import {
  concatFromUdh,
  concatUdh,
  decodeUcs2,
  encodeGsm7,
  encodeSubmitSm,
  encodeUcs2,
  parseReceiptText,
  parseSmppUrl,
  receiptOutcome,
} from '../../sms/protocol';
import { formatReceipt } from '../../tools/smsc/receipts';
import { planParts } from '../../sms/smpp-client';

describe('SMPP details', () => {
  it('writes and reads the 8-bit concatenation header', () => {
    const udh = concatUdh({ reference: 42, total: 3, sequence: 2 });
    expect([...udh]).toEqual([0x05, 0x00, 0x03, 42, 3, 2]);
    // as the smpp package hands decoded UDH elements over: [IEI, length, …data]
    expect(concatFromUdh([udh.subarray(1)])).toEqual({ reference: 42, total: 3, sequence: 2 });
    expect(concatFromUdh([Buffer.from([0x08, 0x04, 0x01, 0x02, 2, 1])])).toEqual({ reference: 0x0102, total: 2, sequence: 1 });
    expect(() => concatUdh({ reference: 256, total: 1, sequence: 1 })).toThrow(RangeError);
  });

  it('encodes UCS-2 big-endian, emoji as surrogate pairs', () => {
    expect([...encodeUcs2('震')]).toEqual([0x97, 0x07]);
    expect(encodeUcs2('😀')).toHaveLength(4);
    expect(decodeUcs2(encodeUcs2('地震速报😀'))).toBe('地震速报😀');
  });

  it.each([
    ['a UCS-2 part with a concatenation header', { sourceTon: 0, sourceNpi: 1, source: '106575261234', destinationTon: 1, destination: '8613800000001', esmClass: 0x40, registeredDelivery: 1, dataCoding: 8, shortMessage: Buffer.concat([concatUdh({ reference: 7, total: 2, sequence: 1 }), encodeUcs2('地震速报：阿拉善盟')]) }],
    ['a GSM-7 text from an alphanumeric sender, no receipt', { sourceTon: 5, sourceNpi: 0, source: 'ALERT', destinationTon: 0, destination: '13800000001', esmClass: 0, registeredDelivery: 0, dataCoding: 0, shortMessage: encodeGsm7('Drill at 10:00 {ok}') }],
  ])('encodes submit_sm octet for octet as the smpp package does: %s', (_, f) => {
    const ours = encodeSubmitSm({ serviceType: '', destinationNpi: 1, ...f });
    const theirs = new PDU('submit_sm', {
      service_type: '', source_addr_ton: f.sourceTon, source_addr_npi: f.sourceNpi, source_addr: f.source, dest_addr_ton: f.destinationTon, dest_addr_npi: 1,
      destination_addr: f.destination, esm_class: f.esmClass, registered_delivery: f.registeredDelivery, data_coding: f.dataCoding, short_message: f.shortMessage,
    });
    // both unnumbered: the session numbers a PDU when it sends it
    expect(ours.equals(theirs.toBuffer())).toBe(true);
  });

  it('writes and parses the conventional delivery receipt text', () => {
    const text = formatReceipt({ id: '000000002A', stat: 'UNDELIV', err: '001', submitted: new Date('2024-05-14T02:20:00Z'), done: new Date('2024-05-14T02:21:00Z') });
    expect(text).toBe('id:000000002A sub:001 dlvrd:000 submit date:2405140220 done date:2405140221 stat:UNDELIV err:001 text:');
    expect(parseReceiptText(text)).toEqual({ id: '000000002A', stat: 'UNDELIV', err: '001', submitDate: '2405140220', doneDate: '2405140221' });
    expect(parseReceiptText('TD')).toBeNull();
  });

  it.each([
    ['DELIVRD', 'delivered'],
    ['UNDELIV', 'failed'],
    ['REJECTD', 'failed'],
    ['DELETED', 'failed'],
    ['EXPIRED', 'expired'],
    ['ACCEPTD', 'pending'],
    ['ENROUTE', 'pending'],
    ['UNKNOWN', 'pending'],
  ])('reads stat %s as %s', (stat, outcome) => {
    expect(receiptOutcome(stat)).toBe(outcome);
  });

  it('reads the transport url', () => {
    expect(parseSmppUrl('smpp://esme:p%40ss@127.0.0.1:2775')).toEqual({ host: '127.0.0.1', port: 2775, systemId: 'esme', password: 'p@ss' });
    expect(parseSmppUrl('smpp://esme:pw@smsc.example')).toMatchObject({ port: 2775 });
    expect(() => parseSmppUrl('http://esme:pw@host:1')).toThrow(RangeError);
    expect(() => parseSmppUrl('smpp://host:1')).toThrow(RangeError);
  });

  it('plans the parts of a message with one reference', () => {
    const text = `【内蒙古自治区地震局】${'地震速报'.repeat(20)}`; // 91 characters
    const parts = planParts({ source: '10655', destination: '+8613800000001', text, reference: 9, correlationId: 'm1' });
    expect(parts.map((part) => [part.text.length, part.concat, part.correlationId, part.encoding])).toEqual([
      [67, { reference: 9, total: 2, sequence: 1 }, 'm1#1', 'UCS2'],
      [24, { reference: 9, total: 2, sequence: 2 }, 'm1#2', 'UCS2'],
    ]);
    expect(planParts({ source: '10655', destination: '+8613800000001', text: '短', reference: 1 })[0]).not.toHaveProperty('concat');
    expect(() => planParts({ source: '10655', destination: '+8613800000001', text: '', reference: 1 })).toThrow(RangeError);
  });
});
