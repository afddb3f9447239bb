import type { DataSource } from 'typeorm';
import { CatalogCache } from './catalog-version';

/** A load that finishes when the test says so. */
function pending<T>(): { load: () => Promise<T>; finish: (value: T) => void } {
  let finish: (value: T) => void = () => undefined;
  const value = new Promise<T>((resolve) => (finish = resolve));
  return { load: () => value, finish };
}

describe('CatalogCache.memo', () => {
  const cache = () => new CatalogCache({ subscribers: [] } as unknown as DataSource);

  it('shares one load among the readers outside a transaction', async () => {
    const held = cache();
    const first = pending<string>();
    const a = held.memo('device:mixer', first.load);
    const b = held.memo('device:mixer', () => Promise.resolve('second load'));
    first.finish('first load');
    expect(await Promise.all([a, b])).toEqual(['first load', 'first load']);
  });

  it('has a transaction load for itself rather than wait for a load not yet finished', async () => {
    const held = cache();
    // Started outside any transaction: it may be waiting for a pooled connection that only a
    // transaction queued behind the reader's lock would give back.
    const outside = pending<string>();
    const waiting = held.memo('day:lab:2026-12-09', outside.load);
    const read = held.memo('day:lab:2026-12-09', () => Promise.resolve('own read'), true);
    outside.finish('outside read');
    expect(await read).toBe('own read');
    expect(await waiting).toBe('outside read');
    // The finished load is what everyone, transactions included, is given from then on.
    const loadAgain = jest.fn(() => Promise.resolve('loaded again'));
    expect(await held.memo('day:lab:2026-12-09', loadAgain, true)).toBe('outside read');
    expect(loadAgain).not.toHaveBeenCalled();
  });

  it('drops what it held when a newer version is observed', async () => {
    const held = cache();
    held.observe(3);
    expect(await held.memo('device:mixer', () => Promise.resolve('version 3'))).toBe('version 3');
    expect(held.observe(3)).toBe(false);
    expect(held.observe(4)).toBe(true);
    expect(await held.memo('device:mixer', () => Promise.resolve('version 4'))).toBe('version 4');
  });
});
