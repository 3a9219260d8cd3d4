import { writeFileSync } from 'node:fs';
import { buildReport } from './analysis/report.ts';
import { reportFigures } from './analysis/figures.ts';
import { knownRecords } from './tests/analysis/known-runs.ts';
const r = buildReport({ runId: 'known-A', configHash: 'c', createdAt: 'now' }, knownRecords('A'));
for (const f of await reportFigures(r)) writeFileSync(`/tmp/h15/${f.name}.svg`, f.svg);
