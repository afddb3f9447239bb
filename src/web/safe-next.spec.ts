import { safeNext } from './safe-next';

describe(safeNext.name, () => {
  it.each(['/account', '/equipment/podcast-studio?date=2026-12-02', '/my/bookings#past', '/'])(
    'goes on to our own page %s',
    (next) => {
      expect(safeNext(next, '/home')).toBe(next);
    },
  );

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'account',
    '',
    `/${'a'.repeat(2001)}`,
    42,
    undefined,
  ])('refuses %j and goes to the fallback', (next) => {
    expect(safeNext(next, '/home')).toBe('/home');
  });
});
