/**
 * The spreadsheet export: one row per committee membership, headers and values in English or
 * Simplified Chinese. Build a file as `csvHeader(lang)` followed by `csvRows(chunk, lang)` for each
 * chunk of rows (the header carries the byte-order mark, so the BOM is written exactly once).
 */
import { AUTHORITY, INFLUENCE, ROLE, STAGE, STANCE, type Label, type Language } from '../taxonomy';
import { CSV_BOM, csvLines, csvTable } from './cells';
import { lastChanged, type ExportRow } from './export-rows';

interface Column {
  header: Label;
  value(row: ExportRow, lang: Language): string;
}

const label = (labels: Record<string, Label>, id: string | null, lang: Language) => (id ? (labels[id]?.[lang] ?? id) : '');

/** The columns, in file order. */
export const CSV_COLUMNS: readonly Column[] = [
  { header: { en: 'Contact name', zh: '联系人姓名' }, value: (r) => r.contact.name },
  { header: { en: 'Title', zh: '职位' }, value: (r) => r.contact.title },
  { header: { en: 'Email', zh: '邮箱' }, value: (r) => r.contact.email },
  { header: { en: 'Contact key', zh: '联系人标识' }, value: (r) => r.contact.key },
  { header: { en: 'Account name', zh: '客户名称' }, value: (r) => r.account?.name ?? '' },
  { header: { en: 'Account key', zh: '客户标识' }, value: (r) => r.membership.accountKey ?? r.contact.accountKey ?? '' },
  { header: { en: 'Deal name', zh: '商机名称' }, value: (r) => r.deal?.name ?? '' },
  { header: { en: 'Deal key', zh: '商机标识' }, value: (r) => r.membership.dealKey ?? '' },
  { header: { en: 'Committee key', zh: '采购委员会标识' }, value: (r) => r.membership.committeeKey },
  {
    header: { en: 'Roles', zh: '角色' },
    value: (r, lang) => r.membership.roles.map((id) => label(ROLE.labels, id, lang)).join('; '),
  },
  { header: { en: 'Stage', zh: '阶段' }, value: (r, lang) => label(STAGE.labels, r.membership.stage, lang) },
  { header: { en: 'Stance', zh: '态度' }, value: (r, lang) => label(STANCE.labels, r.membership.stance, lang) },
  { header: { en: 'Authority', zh: '决策权' }, value: (r, lang) => label(AUTHORITY.labels, r.membership.authority, lang) },
  { header: { en: 'Influence', zh: '影响力' }, value: (r, lang) => label(INFLUENCE.labels, r.membership.influence, lang) },
  { header: { en: 'Department', zh: '部门' }, value: (r) => r.contact.department },
  { header: { en: 'Reports to', zh: '汇报对象' }, value: (r) => r.reportsToName ?? '' },
  { header: { en: 'What they win', zh: '个人收益' }, value: (r) => r.contact.win },
  { header: { en: 'Last changed (UTC)', zh: '最后修改时间 (UTC)' }, value: (r) => lastChanged(r) },
  { header: { en: 'Latest note', zh: '最新备注' }, value: (r) => r.latestNote?.text ?? '' },
  { header: { en: 'Note count', zh: '备注数' }, value: (r) => String(r.noteCount) },
];

/** The start of the file: byte-order mark and header line (CRLF-terminated). */
export function csvHeader(lang: Language): string {
  return CSV_BOM + csvLines([CSV_COLUMNS.map((c) => c.header[lang])]);
}

/** A chunk of data rows: no BOM, no header, every row CRLF-terminated; '' for no rows. */
export function csvRows(rows: readonly ExportRow[], lang: Language): string {
  return csvTable(rows, () => CSV_COLUMNS.length, (row, c) => CSV_COLUMNS[c]!.value(row, lang));
}

/** A whole file in one go. */
export function toCsv(rows: readonly ExportRow[], lang: Language): string {
  return csvHeader(lang) + csvRows(rows, lang);
}
