import { z } from 'zod';
import { benchBackup } from '../bench/data';
import { parseBackup } from '../../domain/formats/backup';
const { text } = benchBackup(100000);
console.log('MB', text.length / 1e6);
const jitless = process.argv[2] === 'jitless';
z.config({ jitless });
for (let i = 0; i < 4; i++) {
  let t = performance.now();
  const j = JSON.parse(text);
  const tj = performance.now() - t;
  t = performance.now();
  const r = parseBackup(text);
  console.log(jitless ? 'jitless' : 'jit', 'JSON', tj.toFixed(0), 'parseBackup', (performance.now() - t).toFixed(0), r.ok);
}
