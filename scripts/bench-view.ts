/**
 * `harness view`: time to the first render of a run's episode list, for a synthetic run of 2,000
 * episodes beside one of 20 (the peer: the same page where the run's size cannot matter), measured in
 * chromium from navigation to the first row on screen. Cold is the first visit after the server starts
 * (episodes.jsonl read and checked against the schema), warm a visit after that (median of the rounds).
 * The run's report (summary, tables, figures) is asked for after the list is on screen and built on the
 * server on the first visit only; its time, from navigation to the last figure drawn, is reported apart
 * (cold: built; warm: kept for the same records). Each visit waits for the report, so that a report still
 * being built never delays the next visit's list.
 * BENCH_LIST_ONLY=1 times the list alone (for a viewer without the report).
 * Target: the 2,000-episode list renders in under a second.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from '../analysis/index.ts';
import { startViewer } from '../analysis/viewer/index.ts';
import { launchBrowser } from '../tests/analysis/viewer/browser.ts';
import { writeSyntheticRun } from '../tests/support/synthetic-run.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SIZES = [2000, 20];

const runsDir = await mkdtemp(join(tmpdir(), 'harness-bench-view-'));
try {
  for (const size of SIZES) await writeSyntheticRun(runsDir, { runId: `run-${size}`, episodes: size });
  const browser = await launchBrowser();
  try {
    for (const size of SIZES) {
      const viewer = await startViewer({ runsDir, host: '127.0.0.1', port: 0 });
      const page = await browser.newPage();
      const visit = async () => {
        // The previous visit's page (its report drawn) is unloaded before the clock starts.
        await page.goto('about:blank');
        const started = performance.now();
        await page.goto(`${viewer.url}/runs/run-${size}`);
        await page.waitForSelector('#episodes tbody tr');
        const list = performance.now() - started;
        if (process.env.BENCH_LIST_ONLY) return { list, report: Number.NaN };
        await page.waitForSelector('#report[data-ready="true"]', { timeout: 600_000 });
        return { list, report: performance.now() - started };
      };
      const cold = await visit();
      const warm: { list: number; report: number }[] = [];
      for (let i = 0; i < ROUNDS; i++) warm.push(await visit());
      const rows = await page.$$eval('#episodes tbody tr', (trs) => trs.length);
      const figures = await page.$$eval('#report figure', (f) => f.length);
      console.log(
        `episode list, ${String(size).padStart(4)} episodes: cold ${cold.list.toFixed(0)} ms, warm median ${median(warm.map((w) => w.list)).toFixed(0)} ms (${ROUNDS} rounds, ${rows} rows on the first page)`,
      );
      if (!process.env.BENCH_LIST_ONLY)
        console.log(
          `  report with ${figures} figures: cold ${cold.report.toFixed(0)} ms, warm median ${median(warm.map((w) => w.report)).toFixed(0)} ms`,
        );
      await page.close();
      await viewer.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  await rm(runsDir, { recursive: true, force: true });
}
