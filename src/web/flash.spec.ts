import type { Request, Response } from 'express';
import { setFlash, takeFlash } from './flash';

/** A response that remembers the cookie it was given, and a request that sends it back. */
function roundTrip(write: (response: Response) => void) {
  let value = '';
  const response = {
    cookie: (_name: string, v: string) => {
      value = v;
    },
    clearCookie: () => undefined,
  } as unknown as Response;
  write(response);
  const request = { cookies: { dml_flash: value } } as unknown as Request;
  return { value, flash: takeFlash(request, response) };
}

describe(setFlash.name, () => {
  it('carries the refused form’s values to the next page', () => {
    const { flash } = roundTrip((r) =>
      setFlash(r, 'error', 'Pick a station.', { form: '/desk/walk-in', values: { minutes: '90' } }),
    );
    expect(flash).toEqual({
      kind: 'error',
      text: 'Pick a station.',
      kept: { form: '/desk/walk-in', values: { minutes: '90' } },
    });
  });

  it('drops the longest values first so the cookie stays under the browser’s limit', () => {
    const { value, flash } = roundTrip((r) =>
      setFlash(r, 'error', 'Too long.', {
        form: '/admin/equipment',
        values: { name: 'Podcast studio', description: 'é'.repeat(3000) },
      }),
    );
    expect(encodeURIComponent(value).length).toBeLessThanOrEqual(3600);
    expect(flash?.kept?.values).toEqual({ name: 'Podcast studio' });
  });

  it('ignores a cookie it did not write', () => {
    const request = { cookies: { dml_flash: '{"kind":"evil","text":1}' } } as unknown as Request;
    const response = { clearCookie: () => undefined } as unknown as Response;
    expect(takeFlash(request, response)).toBeNull();
  });
});
