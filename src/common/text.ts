/**
 * Text made one line for places where a line break would do harm (e-mail subjects, calendar
 * properties): every run of control characters or line separators becomes one space. Input is
 * refused with line breaks today, but older rows may hold them.
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}
