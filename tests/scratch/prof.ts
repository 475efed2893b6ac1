import { benchBackup } from '../bench/data';
import { parseBackup } from '../../domain/formats/backup';
const { text } = benchBackup(100000);
for (let i = 0; i < 3; i++) { const t = performance.now(); parseBackup(text); console.log((performance.now() - t).toFixed(0)); }
