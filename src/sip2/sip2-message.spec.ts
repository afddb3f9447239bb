import {
  birthDateOf,
  checksum,
  frame,
  isBlocked,
  loginMessage,
  parse,
  PATRON_INFORMATION_FIXED,
  patronInformationMessage,
  patronRecord,
  resendRequest,
  sip2Date,
  Sip2ProtocolError,
} from './sip2-message';

/** A 64 answer as an ACS would send it, framed with sequence 1. */
function answer64(status: string, fields: string): string {
  const body = `64${status.padEnd(14)}001${'20261201   Z150000'}${'0000'.repeat(6)}${fields}`;
  return frame(body, 1).slice(0, -1);
}

describe('SIP2 messages', () => {
  it.each([
    ['97AZ', 'FEF5'],
    ['9300CNuser|COpass|CPloc|AY0AZ', checksum('9300CNuser|COpass|CPloc|AY0AZ')],
  ])('checksums %s as the two’s complement of the byte sum', (text, expected) => {
    expect(checksum(text)).toBe(expected);
    const sum = [...Buffer.from(text)].reduce((a, b) => a + b, 0) + parseInt(expected, 16);
    expect(sum & 0xffff).toBe(0);
  });

  it('checksums the bytes as sent, so a name with an accent differs by encoding', () => {
    expect(checksum('AEJosé|', 'utf8')).not.toBe(checksum('AEJosé|', 'latin1'));
  });

  it('frames a login with its sequence number, checksum and carriage return', () => {
    const framed = frame(loginMessage({ user: 'dml', password: 'pw', location: 'LAB' }), 3);
    expect(framed).toMatch(/^9300CNdml\|COpw\|CPLAB\|AY3AZ[0-9A-F]{4}\r$/);
    expect(parse(framed, 2).sequence).toBe(3);
  });

  it('writes a patron information request with the date in UTC and a blank summary', () => {
    const body = patronInformationMessage({
      institution: 'PL',
      card: '21234000000017',
      pin: '1234',
      at: new Date('2026-12-01T15:04:05Z'),
    });
    expect(body).toBe('6300020261201   Z150405          AOPL|AA21234000000017|AC|AD1234|');
  });

  it('refuses a field value holding the delimiter', () => {
    expect(() =>
      patronInformationMessage({ institution: 'PL', card: '1', pin: 'a|b', at: new Date() }),
    ).toThrow(Sip2ProtocolError);
  });

  it('reads a patron record: validity, PIN check, name, e-mail, birth date, type, messages', () => {
    const raw = answer64(
      '',
      'AOPL|AA21234000000017|AEPat Patron|BLY|CQY|BEpat@example.org|PB19850615|PCADULT|AFWelcome|',
    );
    const record = patronRecord(parse(raw, PATRON_INFORMATION_FIXED));
    expect(record).toEqual({
      card: '21234000000017',
      validPatron: true,
      validPassword: true,
      flags: [],
      name: 'Pat Patron',
      email: 'pat@example.org',
      birthDate: '1985-06-15',
      patronType: 'ADULT',
      screenMessages: ['Welcome'],
    });
    expect(isBlocked(record)).toBe(false);
  });

  it.each([
    ['charge privileges denied', 'Y', true],
    ['card reported lost', '    Y', true],
    ['too many items overdue only', '      Y', false],
  ])('reads the patron status flags: %s', (_, status, blocked) => {
    const record = patronRecord(parse(answer64(status, 'AA1|BLY|CQY|'), PATRON_INFORMATION_FIXED));
    expect(isBlocked(record)).toBe(blocked);
  });

  it('counts a missing valid-patron or valid-password field as not valid', () => {
    const record = patronRecord(parse(answer64('', 'AA1|AEX|'), PATRON_INFORMATION_FIXED));
    expect(record.validPatron).toBe(false);
    expect(record.validPassword).toBe(false);
  });

  it('refuses an answer whose checksum does not add up', () => {
    const raw = answer64('', 'AA1|BLY|CQY|');
    const garbled = `${raw.slice(0, -4)}${raw.endsWith('0000') ? '0001' : '0000'}`;
    expect(() => parse(garbled, PATRON_INFORMATION_FIXED)).toThrow(Sip2ProtocolError);
  });

  it('refuses an answer shorter than its fixed fields', () => {
    expect(() => parse(frame('64YY', 0), PATRON_INFORMATION_FIXED)).toThrow(Sip2ProtocolError);
  });

  it('reads a message sent without error detection', () => {
    const parsed = parse('941', 1);
    expect(parsed).toMatchObject({ command: '94', fixed: '1', sequence: null });
  });

  it.each([
    ['19850615', '1985-06-15'],
    ['1985-06-15', '1985-06-15'],
    ['19850231', null],
    ['unknown', null],
    [null, null],
  ])('reads the birth date %s as %s', (raw, expected) => {
    expect(birthDateOf(raw)).toBe(expected);
  });

  it('writes dates as YYYYMMDD, zone, HHMMSS', () => {
    expect(sip2Date(new Date('2027-03-04T05:06:07Z'))).toBe('20270304   Z050607');
  });

  it('asks for a resend with 97 and its checksum', () => {
    expect(resendRequest()).toBe('97AZFEF5\r');
  });
});
