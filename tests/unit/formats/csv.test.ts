import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_BOM, CSV_NEWLINE, csvCell, csvLines, FORMULA_START, neutralizeCell } from '../../../domain/formats/cells';
import { csvHeader, csvRows, toCsv } from '../../../domain/formats/csv';
import { buildExportRows, createExportIndex, type ExportRow } from '../../../domain/formats/export-rows';
import { emptyContact, emptyMembership, membershipKey } from '../../../domain/model';
import { sampleStore, sf, Store } from './fixtures';

const parse = (csv: string) => Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

function rowFor(name: string): ExportRow {
  const contact = { ...emptyContact(sf('contact', 9)), name, updatedAt: 1 };
  return { membership: emptyMembership(membershipKey(sf('account', 9), contact.key), null), contact, noteCount: 0 };
}

const byName = (table: string[][], name: string) => table.find((r) => r[0] === name);

describe('spreadsheet CSV', () => {
  const rows = buildExportRows(sampleStore().data());

  it('writes headers in English and in Simplified Chinese', () => {
    const [en] = parse(csvHeader('en'));
    const [zh] = parse(csvHeader('zh'));
    expect(en).toHaveLength(20);
    expect(en?.slice(0, 4)).toEqual(['Contact name', 'Title', 'Email', 'Contact key']);
    expect(en).toContain('Note count');
    expect(zh?.[0]).toBe('联系人姓名');
    expect(zh).toContain('角色');
    expect(zh).toHaveLength(20);
  });

  it('puts the BOM once at the start, also when built in chunks, with CRLF line endings', () => {
    const whole = toCsv(rows, 'en');
    const chunked = csvHeader('en') + csvRows(rows.slice(0, 2), 'en') + csvRows(rows.slice(2), 'en') + csvRows([], 'en');
    expect(chunked).toBe(whole);
    expect(whole.startsWith(CSV_BOM)).toBe(true);
    expect(whole.split(CSV_BOM)).toHaveLength(2);
    expect(csvRows(rows, 'en').includes(CSV_BOM)).toBe(false);
    expect(whole.endsWith('\r\n')).toBe(true);
    // The only bare LF is the one inside the quoted "what they win" text.
    expect(whole.match(/(?<!\r)\n/g)).toHaveLength(1);
    expect(parse(whole)).toHaveLength(rows.length + 1);
  });

  it('keeps quotes, commas, line breaks and Chinese text intact', () => {
    const table = parse(toCsv(rows, 'zh'));
    const cfo = byName(table, 'Li "Lucky", Lei');
    expect(cfo?.[16]).toBe('a promotion\nand budget');
    expect(cfo?.[15]).toBe('Dana Chief');
    const li = byName(table, '李雷');
    expect(li?.slice(1, 2)).toEqual(['采购经理']);
    expect(li?.[9]).toBe('决策人; 采购/法务把关人');
    expect(li?.[10]).toBe('研究与发现飞轮');
    expect(li?.[18]).toBe('决策需要总部批准');
  });

  it.each(['=', '+', '-', '@', '\t', '\r', '\0'])('neutralises a cell starting with %j', (c) => {
    const value = `${c}SUM(A1:A9)`;
    const [, data] = parse(toCsv([rowFor(value)], 'en'));
    expect(data?.[0]).toBe(`'${value}`);
  });

  it('neutralises every column, multi-line cells included, and leaves harmless text alone', () => {
    const table = parse(toCsv(rows, 'en'));
    expect(byName(table, `'=HYPERLINK("http://x")`)?.[1]).toBe("'-operator");
    expect(byName(table, 'Dana Chief')?.[18]).toBe("'+ likes golf");
    expect(parse(csvLines([['=1\n2', 'a=b', '1-2', '李-雷']]))[0]).toEqual(["'=1\n2", 'a=b', '1-2', '李-雷']);
    expect(neutralizeCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(neutralizeCell('')).toBe('');
  });

  it('joins roles with "; " and writes labels in the chosen language', () => {
    const en = parse(toCsv(rows, 'en'));
    const ceo = byName(en, 'Dana Chief');
    expect(ceo?.slice(9, 14)).toEqual(['Decision maker; Economic buyer', 'Multi-party consideration & comparison', '', 'Verified', 'High']);
    expect(ceo?.slice(4, 9)).toEqual(['Acme Ltd', sf('account', 1), 'Acme renewal', sf('opportunity', 1), sf('opportunity', 1)]);
  });
});

describe('the CSV writer', () => {
  // papaparse's writer, with the options the exports used before ours: the oracle for every byte.
  const papa = (rows: string[][]) => Papa.unparse(rows, { newline: CSV_NEWLINE, escapeFormulae: FORMULA_START }) + CSV_NEWLINE;
  const tricky = ['', 'plain', 'a,b', 'say "hi"', '"', 'two\nlines', 'cr\ronly', '\r\n', ' lead', 'trail ', ' ', '\uFEFFbom', 'mid\uFEFF', '=1+2', '+1', '-', '@x', '\tTab', '\0nul', "'already", '李雷, 采购', '=", injected"', 'a=b'];

  it('writes the same bytes as papaparse for every kind of cell', () => {
    for (const a of tricky) for (const b of tricky) expect(csvLines([[a, b]])).toBe(papa([[a, b]]));
  });

  it('round-trips random text through a CSV parser (neutralised cells come back with their apostrophe)', () => {
    const alphabet = ['a', 'Z', '9', ' ', ',', '"', '\r', '\n', '\t', '=', '+', '-', '@', '\0', '\uFEFF', "'", '李', '😀'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cell = () => Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const rows = Array.from({ length: 400 }, () => Array.from({ length: 5 }, cell));
    const text = csvLines(rows);
    expect(text).toBe(papa(rows));
    const back = Papa.parse<string[]>(text, { newline: CSV_NEWLINE }).data.slice(0, rows.length);
    expect(back).toEqual(rows.map((r) => r.map(neutralizeCell)));
  });

  it('quotes a neutralised cell, and only the cells that need it', () => {
    expect(csvCell('=SUM(A1)')).toBe(`"'=SUM(A1)"`);
    expect(csvCell('x "y"')).toBe('"x ""y"""');
    expect(csvCell('李雷')).toBe('李雷');
    const cases: [string, string][] = [
      ['', ''],
      ['plain text 1', 'plain text 1'],
      [' lead', '" lead"'],
      ['trail ', '"trail "'],
      ['a,b', '"a,b"'],
      ['two\nlines', '"two\nlines"'],
      ['cr\rhere', '"cr\rhere"'],
      ['mid\uFEFFbom', '"mid\uFEFFbom"'],
      ['-5', `"'-5"`],
      ['+1 555', `"'+1 555"`],
      ['@home', `"'@home"`],
      ['\tx', `"'\tx"`],
      ['a-b=c@d', 'a-b=c@d'],
    ];
    for (const [value, cell] of cases) expect(csvCell(value)).toBe(cell);
    expect(csvLines([['a', 'b'], ['c', '']])).toBe('a,b\r\nc,\r\n');
    expect(csvLines([])).toBe('');
  });
});

describe('export rows', () => {
  const data = sampleStore().data();
  const rows = buildExportRows(data);

  it('joins one row per live membership, in membership-key order', () => {
    const keys = rows.map((r) => r.membership.key);
    expect(keys).toEqual([...keys].sort());
    // 7 memberships: one deleted, one of a deleted contact.
    expect(rows).toHaveLength(5);
    expect(rows.some((r) => r.contact.name === 'Left the company')).toBe(false);
  });

  it('counts live notes of the contact on this committee or on none, and picks the newest', () => {
    const ceo = rows.find((r) => r.contact.name === 'Dana Chief')!;
    expect(ceo.noteCount).toBe(2);
    expect(ceo.latestNote?.text).toBe('+ likes golf');
    expect(ceo.deal?.name).toBe('Acme renewal');
    const cfo = rows.find((r) => r.contact.name.startsWith('Li "Lucky"'))!;
    expect(cfo.reportsToName).toBe('Dana Chief');
    expect(cfo.noteCount).toBe(0);
    expect(cfo.latestNote).toBeUndefined();
  });

  it('writes last changed as ISO 8601 UTC of the newer of membership and contact', () => {
    const [header, ...table] = parse(toCsv(rows, 'en'));
    const col = header!.indexOf('Last changed (UTC)');
    expect(byName(table, 'Dana Chief')?.[col]).toBe(new Date(3_000).toISOString());
  });

  it('keeps a membership whose contact row is missing, with its key', () => {
    const s = new Store().member(sf('account', 5), sf('contact', 5), { roles: ['user'] }, 10);
    const index = createExportIndex({ contacts: [], accounts: [], deals: [], notes: [] });
    const row = index.row(s.data().memberships[0]!);
    expect(row?.contact.key).toBe(sf('contact', 5));
    expect(row?.noteCount).toBe(0);
  });
});

