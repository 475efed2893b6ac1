import { benchData } from '../bench/data';
import { httpTransport } from '../../entrypoints/background/transport';
const { data } = benchData(100000);
const rows: unknown[] = [];
let v = 1;
for (const t of ['contacts', 'accounts', 'deals', 'memberships'] as const) for (const r of data[t] as { key: string }[]) rows.push({ table: t, key: r.key, row: r, version: v++ });
const pages: string[] = [];
for (let i = 0; i < rows.length; i += 5000) pages.push(JSON.stringify({ rows: rows.slice(i, i + 5000), cursor: i + 5000, hasMore: i + 5000 < rows.length, reset: false }));
console.log('rows', rows.length, 'pages', pages.length, 'page MB', pages[0]!.length / 1e6);
let n = 0;
const fake = (async () => new Response(pages[n++ % pages.length])) as unknown as typeof fetch;
const tr = httpTransport('http://localhost:1', 't', 10000, fake);
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  for (let i = 0; i < pages.length; i++) await tr.pull(0, 5000);
  console.log('all pages', (performance.now() - t).toFixed(0));
}
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  for (let i = 0; i < pages.length; i++) JSON.parse(pages[i]!);
  console.log('JSON only', (performance.now() - t).toFixed(0));
}
