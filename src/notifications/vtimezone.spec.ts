import { IANAZone } from 'luxon';
import { offsetChanges, vtimezone } from './vtimezone';

const from = Date.parse('2027-01-01T00:00:00Z');
const to = Date.parse('2028-01-01T00:00:00Z');

describe(offsetChanges.name, () => {
  it('finds the spring and autumn changes in New York to the minute', () => {
    expect(offsetChanges(IANAZone.create('America/New_York'), from, to)).toEqual([
      { start: Date.parse('2027-03-14T07:00:00Z'), previous: -300, offset: -240 },
      { start: Date.parse('2027-11-07T06:00:00Z'), previous: -240, offset: -300 },
    ]);
  });

  it('finds none where the clocks never change', () => {
    expect(offsetChanges(IANAZone.create('America/Phoenix'), from, to)).toEqual([]);
  });
});

describe(vtimezone.name, () => {
  it('writes each change with its onset in the local time it replaces', () => {
    const text = vtimezone(
      'America/New_York',
      new Date('2027-03-14T17:00:00Z'),
      new Date('2027-03-14T19:00:00Z'),
    );
    expect(text.split('\r\n')).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:America/New_York',
      'BEGIN:STANDARD',
      'DTSTART:20270101T000000',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0500',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:20270314T020000',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0400',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:20271107T020000',
      'TZOFFSETFROM:-0400',
      'TZOFFSETTO:-0500',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });
});
