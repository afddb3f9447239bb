/**
 * SIP2 (3M Standard Interchange Protocol, version 2.00) messages: framing, error detection and
 * the fields this service uses. A message is a two-digit command, its fixed-length fields, then
 * variable fields as a two-letter identifier, the value and `|`; with error detection on it ends
 * with `AY` and a sequence digit, then `AZ` and a four-hex-digit checksum, then a carriage return.
 */

export const TERMINATOR = '\r';

/** What text is sent as on the wire; the checksum is over these bytes. */
export type Sip2Encoding = 'utf8' | 'latin1';

export class Sip2ProtocolError extends Error {}

/** The checksum of everything before it, up to and including `AZ`: the two's complement of the byte sum, 16 bits. */
export function checksum(text: string, encoding: Sip2Encoding = 'utf8'): string {
  let sum = 0;
  for (const byte of Buffer.from(text, encoding)) sum += byte;
  return ((-sum & 0xffff) >>> 0).toString(16).toUpperCase().padStart(4, '0');
}

/** Adds the sequence number and checksum to a message body and terminates it. */
export function frame(body: string, sequence: number, encoding: Sip2Encoding = 'utf8'): string {
  const head = `${body}AY${sequence % 10}AZ`;
  return `${head}${checksum(head, encoding)}${TERMINATOR}`;
}

/** A field value as the protocol can carry it: no delimiter and no carriage return inside. */
export function fieldValue(value: string): string {
  if (/[|\r\n]/.test(value))
    throw new Sip2ProtocolError('A SIP2 field cannot hold "|" or a line break.');
  return value;
}

export function field(id: string, value: string): string {
  return `${id}${fieldValue(value)}|`;
}

/** SIP2 dates: `YYYYMMDD`, four characters of zone (`   Z` for UTC), `HHMMSS`. */
export function sip2Date(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}   Z${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export interface ParsedMessage {
  command: string;
  /** The fixed-length fields, unparsed. */
  fixed: string;
  /** Variable fields by identifier; a repeated identifier keeps every value in order. */
  fields: Map<string, string[]>;
  sequence: number | null;
}

/**
 * Checks the checksum when one is present (a message with `AZ` but a wrong sum is refused) and
 * splits the fields. `fixedLength` is the length of the command's fixed part.
 */
export function parse(
  raw: string,
  fixedLength: number,
  encoding: Sip2Encoding = 'utf8',
): ParsedMessage {
  const text = raw.replace(/^\n+/, '').replace(/\r?\n?$/, '');
  let body = text;
  let sequence: number | null = null;
  const trailer = /AY(\d)AZ([0-9A-Fa-f]{4})$/.exec(text) ?? /AZ([0-9A-Fa-f]{4})$/.exec(text);
  if (/AZ[^|]*$/.test(text)) {
    if (!trailer) throw new Sip2ProtocolError('The message has a malformed checksum.');
    const sum = trailer[trailer.length - 1];
    const head = text.slice(0, text.length - 4);
    if (checksum(head, encoding) !== sum.toUpperCase())
      throw new Sip2ProtocolError('The message checksum does not match.');
    if (trailer.length === 3) sequence = Number(trailer[1]);
    body = text.slice(0, trailer.index);
  }
  if (body.length < 2 + fixedLength || !/^\d\d$/.test(body.slice(0, 2)))
    throw new Sip2ProtocolError('The message is shorter than its fixed fields.');
  const fields = new Map<string, string[]>();
  const rest = body.slice(2 + fixedLength);
  for (const part of rest.split('|')) {
    if (part.length < 2) continue;
    const id = part.slice(0, 2);
    fields.set(id, [...(fields.get(id) ?? []), part.slice(2)]);
  }
  return { command: body.slice(0, 2), fixed: body.slice(2, 2 + fixedLength), fields, sequence };
}

/** The command of a raw message, before its fixed length is known. */
export function commandOf(raw: string): string {
  return raw.replace(/^\n+/, '').slice(0, 2);
}

export interface LoginRequest {
  user: string;
  password: string;
  location: string;
}

/** 93 Login: user and password algorithms `0` (plain), then CN user, CO password, CP location. */
export function loginMessage(login: LoginRequest): string {
  return `9300${field('CN', login.user)}${field('CO', login.password)}${field('CP', login.location)}`;
}

/** 94 Login Response: one character, `1` when the ACS accepted the login. */
export function loginAccepted(message: ParsedMessage): boolean {
  if (message.command !== '94') throw new Sip2ProtocolError(`Expected 94, got ${message.command}.`);
  return message.fixed === '1';
}

export interface PatronRequest {
  institution: string;
  card: string;
  pin: string;
  at: Date;
  terminalPassword?: string;
}

/**
 * 63 Patron Information: language (`000`, unknown), transaction date, a ten-character summary
 * (all blank: no item lists wanted), then AO institution, AA patron, AC terminal password, AD
 * patron password.
 */
export function patronInformationMessage(req: PatronRequest): string {
  return (
    `63000${sip2Date(req.at)}${' '.repeat(10)}` +
    `${field('AO', req.institution)}${field('AA', req.card)}` +
    `${field('AC', req.terminalPassword ?? '')}${field('AD', req.pin)}`
  );
}

/** Fixed part of 64: status (14), language (3), date (18), six counts of 4. */
export const PATRON_INFORMATION_FIXED = 14 + 3 + 18 + 6 * 4;
export const LOGIN_RESPONSE_FIXED = 1;

/** The 14 patron status flags, in their order; `Y` means the flag is set. */
export const PATRON_STATUS_FLAGS = [
  'chargePrivilegesDenied',
  'renewalPrivilegesDenied',
  'recallPrivilegesDenied',
  'holdPrivilegesDenied',
  'cardReportedLost',
  'tooManyItemsCharged',
  'tooManyItemsOverdue',
  'tooManyRenewals',
  'tooManyClaimsOfItemsReturned',
  'tooManyItemsLost',
  'excessiveOutstandingFines',
  'excessiveOutstandingFees',
  'recallOverdue',
  'tooManyItemsBilled',
] as const;
export type PatronStatusFlag = (typeof PATRON_STATUS_FLAGS)[number];

/** The flags that stop a patron using the library's services, and so the lab. */
export const BLOCKING_FLAGS: PatronStatusFlag[] = ['chargePrivilegesDenied', 'cardReportedLost'];

export interface PatronRecord {
  card: string;
  /** BL: the ILS knows the card. Absent counts as not valid. */
  validPatron: boolean;
  /** CQ: the PIN is right. Absent counts as not checked, so not valid. */
  validPassword: boolean;
  flags: PatronStatusFlag[];
  name: string | null;
  email: string | null;
  /** PB, as `YYYY-MM-DD` when it is a real date. */
  birthDate: string | null;
  /** PC: what the ILS calls the patron's type or profile. */
  patronType: string | null;
  /** AF: what the ILS would show the patron. */
  screenMessages: string[];
}

const first = (message: ParsedMessage, id: string): string | null => {
  const value = message.fields.get(id)?.[0]?.trim();
  return value ? value : null;
};

/** PB comes as `YYYYMMDD` (some systems send `YYYY-MM-DD`); anything else is ignored. */
export function birthDateOf(raw: string | null): string | null {
  const match = raw ? /^(\d{4})-?(\d{2})-?(\d{2})/.exec(raw) : null;
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

/** 64 Patron Information Response, the parts this service reads. */
export function patronRecord(message: ParsedMessage): PatronRecord {
  if (message.command !== '64') throw new Sip2ProtocolError(`Expected 64, got ${message.command}.`);
  const status = message.fixed.slice(0, 14);
  return {
    card: first(message, 'AA') ?? '',
    validPatron: first(message, 'BL') === 'Y',
    validPassword: first(message, 'CQ') === 'Y',
    flags: PATRON_STATUS_FLAGS.filter((_, i) => status[i] === 'Y'),
    name: first(message, 'AE'),
    email: first(message, 'BE'),
    birthDate: birthDateOf(first(message, 'PB')),
    patronType: first(message, 'PC'),
    screenMessages: (message.fields.get('AF') ?? []).map((m) => m.trim()).filter(Boolean),
  };
}

export function isBlocked(record: PatronRecord): boolean {
  return record.flags.some((flag) => BLOCKING_FLAGS.includes(flag));
}

/** 97 Request ACS Resend: no sequence number, a checksum. */
export function resendRequest(encoding: Sip2Encoding = 'utf8'): string {
  return `97AZ${checksum('97AZ', encoding)}${TERMINATOR}`;
}
