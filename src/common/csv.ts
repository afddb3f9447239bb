/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection advice). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell safe to open in a spreadsheet: text that would start a formula gets a leading `'`,
 * which spreadsheets show as text; numbers stay numbers.
 */
export function csvCell(value: unknown): unknown {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** Every cell of every row made safe with `csvCell`. */
export function csvRows(rows: unknown[][]): unknown[][] {
  return rows.map((row) => row.map(csvCell));
}
