/**
 * CSV writing shared by every export: RFC 4180 through papaparse (CRLF line endings, quotes doubled,
 * fields with a comma, quote or line break quoted) and neutralisation of spreadsheet formulas.
 */
import Papa from 'papaparse';

/** The UTF-8 byte-order mark, written once at the very start of a spreadsheet file (Excel needs it). */
export const CSV_BOM = '\uFEFF';
export const CSV_NEWLINE = '\r\n';

/**
 * A cell starting with one of these is read as a formula (or mangled) by Excel, LibreOffice and
 * Google Sheets: = + - @, tab, carriage return, NUL. Such a cell gets a leading apostrophe.
 * (Papa's built-in pattern ends in `.*$` without the s flag, which misses cells that contain a line
 * break, and it leaves NUL alone, hence our own.)
 */
export const FORMULA_START = /^[=+\-@\t\r\0]/;

/** Prefix a dangerous cell with `'`; any other text is returned unchanged. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Rows of text cells as CSV, every row (the last one too) ended by CRLF so that chunks can be
 * concatenated. Every cell is neutralised. An empty list gives ''.
 */
export function csvLines(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return Papa.unparse(rows as string[][], { newline: CSV_NEWLINE, escapeFormulae: FORMULA_START }) + CSV_NEWLINE;
}
