/**
 * Only our own pages: never another site, never `//elsewhere` or `/\elsewhere`, and no spaces or
 * control characters (browsers drop a tab or line break, which would turn `/\t/x` into `//x`).
 */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' &&
    next.length <= 2000 &&
    /^\/(?![/\\])[^\s\\\p{Cc}]*$/u.test(next)
    ? next
    : fallback;
}
