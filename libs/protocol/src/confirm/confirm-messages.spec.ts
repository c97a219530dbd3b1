import { ControlMessageError } from '../subscription';
import * as confirm from './confirm-messages';

describe('confirm messages', () => {
  it('encodes the request as agreed and reads it back', () => {
    const text = confirm.encodeConfirmRequest({ publisher: 'p-1', next: 7 });
    expect(text).toBe('{"confirm":{"publisher":"p-1","next":7}}');
    expect(confirm.parseConfirmRequest(Buffer.from(text))).toEqual({ publisher: 'p-1', next: 7 });
  });

  // What a messenger sends the hub, and what the hub sends a messenger: none is a confirm message.
  const fromClient = confirm.parseConfirmRequest;
  const fromHub = confirm.parseHubConfirmMessage;
  it.each([
    ['a subscription', fromClient, '{"rooms":["confirm"],"create":true}'],
    ['an ack', fromClient, '{"ack":3}'],
    ['not JSON from a client', fromClient, '{confirm'],
    ['an array', fromClient, '[{"confirm":{}}]'],
    ['an error frame', fromHub, '{"error":"x","details":[]}'],
    ['a negative confirmed', fromHub, '{"confirmed":-1}'],
    ['a refusal without a reason', fromHub, '{"refused":{"seq":1}}'],
    ['a reply with a bad publisher', fromHub, '{"confirm":{"publisher":"a b","taken":1}}'],
    ['not JSON from the hub', fromHub, 'confirmed'],
  ])('reads %s as no confirm message', (_name, parse, text) => {
    expect(parse(text)).toBeUndefined();
  });

  it.each([
    ['no body', '{"confirm":true}', 'confirm'],
    ['an empty publisher', '{"confirm":{"publisher":"","next":1}}', 'confirm.publisher'],
    ['a publisher with a space', '{"confirm":{"publisher":"a b","next":1}}', 'confirm.publisher'],
    [
      'a publisher too long',
      JSON.stringify({ confirm: { publisher: 'x'.repeat(129), next: 1 } }),
      'confirm.publisher',
    ],
    ['next 0', '{"confirm":{"publisher":"p","next":0}}', 'confirm.next'],
    ['next as a string', '{"confirm":{"publisher":"p","next":"1"}}', 'confirm.next'],
    ['next fractional', '{"confirm":{"publisher":"p","next":1.5}}', 'confirm.next'],
  ])('refuses a confirm request with %s, naming the field', (_name, text, field) => {
    let error: unknown;
    try {
      confirm.parseConfirmRequest(text);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ControlMessageError);
    expect((error as ControlMessageError).details.map((d) => d.field)).toEqual([field]);
  });

  it('accepts a publisher of 128 characters of the allowed set', () => {
    const publisher = 'aZ09._:-'.repeat(16);
    expect(
      confirm.parseConfirmRequest(confirm.encodeConfirmRequest({ publisher, next: 1 })),
    ).toEqual({ publisher, next: 1 });
  });

  it('encodes the hub messages as agreed and reads them back', () => {
    const reply = confirm.encodeConfirmReply({ publisher: 'p', taken: 0 });
    const confirmed = confirm.encodeConfirmed(12);
    const refused = confirm.encodeRefused({ seq: 3, reason: 'publish-forbidden', message: 'no' });
    expect(reply).toBe('{"confirm":{"publisher":"p","taken":0}}');
    expect(confirmed).toBe('{"confirmed":12}');
    expect(refused).toBe('{"refused":{"seq":3,"reason":"publish-forbidden","message":"no"}}');
    expect(confirm.parseHubConfirmMessage(reply)).toEqual({
      type: 'confirm',
      publisher: 'p',
      taken: 0,
    });
    expect(confirm.parseHubConfirmMessage(confirmed)).toEqual({ type: 'confirmed', confirmed: 12 });
    expect(confirm.parseHubConfirmMessage(refused)).toEqual({
      type: 'refused',
      seq: 3,
      reason: 'publish-forbidden',
      message: 'no',
    });
  });
});
