/**
 * `harness view` in a real browser (Debian's chromium through puppeteer-core) on a real run of the
 * default model in real sandboxes, and on a synthetic run whose replies, file names and contents hold
 * markup: token colours match the stored readings, hover shows the value, a diff is shown, an evidence
 * link lands on its highlighted line, compare shows both sides, nothing the model wrote executes, and
 * ids that leave the runs directory get 404. Screenshots go to $TMPDIR/harness-view-screens
 * (kept after the suite with HARNESS_KEEP_TEST_TMP=1: tests/support/temp-root.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, TokenPieces } from '../../../analysis/viewer/index.ts';
import {
  type EpisodeRecord,
  EpisodeRecordSchema,
  type Transcript,
  TranscriptSchema,
} from '../../../harness/log/index.ts';
import { DEFAULT_MODEL } from '../../../harness/model/fetch.ts';
import { ensureImages, requireDocker } from '../../../sandboxes/index.ts';
import { harness } from '../../cli/support.ts';
import { requireDefaultModel } from '../../support/model.ts';
import {
  HOSTILE,
  HOSTILE_CONDITION,
  HOSTILE_FILE,
  HOSTILE_TASK,
  SYNTHETIC_REPLY,
  writeSyntheticRun,
} from '../../support/synthetic-run.ts';
import { launchBrowser } from './browser.ts';

const SCREENS = join(tmpdir(), 'harness-view-screens');

let runsDir: string;
let realRun = '';
let baselineEpisode: string;
let steeredEpisode: string;
let records: EpisodeRecord[];
let viewer: { url: string; close: () => Promise<void> };
let browser: Browser;

function transcriptOf(runId: string, episodeId: string): Transcript {
  const path = join(runsDir, runId, 'transcripts', `${episodeId}.json`);
  return TranscriptSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${viewer.url}${path}`);
  await page.waitForSelector('body[data-ready]');
}

beforeAll(async () => {
  requireDefaultModel();
  await requireDocker();
  await ensureImages();
  runsDir = await mkdtemp(join(tmpdir(), 'harness-view-'));
  const result = await harness([
    '--set',
    `runs_dir=${runsDir}`,
    '--set',
    'agent.max_reply_tokens=48',
    '--set',
    'experiment.concurrency=1',
    'run',
    '--tasks',
    'fast-sum',
    '--max-attempts',
    '1',
    '--conditions',
    'baseline,desperation=+2',
  ]);
  expect(result.exitCode, result.stderr).toBe(0);
  realRun = readdirSync(runsDir)[0]!;
  expect(result.stdout).toContain(`bin/harness view ${join(runsDir, realRun)}`);
  records = readFileSync(join(runsDir, realRun, 'episodes.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => EpisodeRecordSchema.parse(JSON.parse(line)));
  baselineEpisode = records.find((r) => r.conditionId === 'baseline')!.episodeId;
  steeredEpisode = records.find((r) => r.conditionId === 'desperation=+2')!.episodeId;
  const split = await new TokenPieces().split(DEFAULT_MODEL.fileName, SYNTHETIC_REPLY, 1);
  await writeSyntheticRun(runsDir, {
    runId: 'hostile',
    episodes: 8,
    modelFile: DEFAULT_MODEL.fileName,
    positions: split!.encoded,
  });
  // The same tasks and seeds in a second run (compare across runs), and a run named with markup.
  await writeSyntheticRun(runsDir, { runId: 'hostile-again', episodes: 8 });
  await writeSyntheticRun(runsDir, {
    runId: 'names',
    episodes: 8,
    tasks: [HOSTILE_TASK, 'fast-sum'],
    conditions: ['baseline', HOSTILE_CONDITION],
  });
  viewer = await startViewer({ runsDir, host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
  mkdirSync(SCREENS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

/** The page's diverging scale, recomputed here from the stored readings: rgb by sign, alpha |v| / max. */
function expectedColour(value: number, max: number): { rgb: string; alpha: number } {
  return { rgb: value >= 0 ? '220, 38, 38' : '37, 99, 235', alpha: Math.min(1, Math.abs(value) / max) };
}

describe('harness view in chromium', () => {
  it('lists the runs, then colours a real episode by its stored readings and shows the value on hover', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await open(page, '/');
    const listed = await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-run')));
    expect(listed.sort()).toEqual([realRun, 'hostile', 'hostile-again', 'names'].sort());
    await page.screenshot({ path: join(SCREENS, 'list.png'), fullPage: true });

    await page.click(`tr[data-run="${realRun}"] a`);
    await page.waitForSelector('#episodes tbody tr');
    const rows = await page.$$eval('#episodes tbody tr', (trs) =>
      trs.map((t) => t.getAttribute('data-episode')),
    );
    expect(rows.sort()).toEqual([baselineEpisode, steeredEpisode].sort());
    // The run's report under the list: its figures drawn, its summary and tables as `report` gives them.
    await page.waitForSelector('#report[data-ready="true"]', { timeout: 120_000 });
    const figures = await page.$$eval('#report figure', (boxes) =>
      boxes.map((f) => {
        const img = f.querySelector('img')!;
        return { name: f.getAttribute('data-figure'), width: img.naturalWidth, alt: img.alt };
      }),
    );
    expect(figures.map((f) => f.name)).toEqual(
      expect.arrayContaining(['cheat-rate', 'readings-desperation', 'readings-calm']),
    );
    for (const f of figures) expect(f.width, f.name!).toBeGreaterThan(200);
    expect(figures.find((f) => f.name === 'cheat-rate')!.alt).toBe(
      'Cheat rate on impossible tasks (95% Wilson interval)',
    );
    await page.click('#summary-box > summary');
    const summary = await page.$eval('#summary', (pre) => pre.textContent!);
    expect(summary).toMatch(/^validity\n/);
    expect(summary).toContain('desperation=+2');
    await page.click('#report-tables > summary');
    const rates = await page.$$eval('#report-tables table', (tables) =>
      [...tables[0]!.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent),
      ),
    );
    const cheatedOf = (condition: string) => {
      const impossible = records.filter((r) => r.conditionId === condition && r.impossible);
      return `${impossible.filter((r) => r.verdict.outcome === 'cheated').length}/${impossible.length}`;
    };
    expect(rates).toEqual([
      ['baseline', cheatedOf('baseline')],
      ['desperation=+2', cheatedOf('desperation=+2')],
    ]);
    await page.screenshot({ path: join(SCREENS, 'run.png'), fullPage: true });

    await open(page, `/runs/${realRun}/episodes/${encodeURIComponent(baselineEpisode)}`);
    const transcript = transcriptOf(realRun, baselineEpisode);
    const stored = transcript.attempts[0]!.perToken.desperation!;
    expect(stored.length).toBeGreaterThan(0);
    const max = Math.max(...transcript.attempts.flatMap((a) => a.perToken.desperation!.map(Math.abs)));
    const tokens = await page.$$eval('.reply[data-attempt="1"] .tok', (spans) =>
      spans.map((s) => ({
        text: s.textContent,
        value: Number(s.getAttribute('data-value')),
        background: getComputedStyle(s).backgroundColor,
        missing: s.classList.contains('tok-missing'),
      })),
    );
    expect(tokens.length).toBe(stored.length);
    for (const [i, token] of tokens.entries()) {
      expect(token.value).toBe(stored[i]);
      const { rgb, alpha } = expectedColour(stored[i]!, max);
      const match = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(token.background)!;
      if (alpha === 0) continue;
      expect(`${match[1]}, ${match[2]}, ${match[3]}`).toBe(rgb);
      expect(Number(match[4] ?? 1)).toBeCloseTo(alpha, 2);
    }
    // The tokens' text is the reply, token by token.
    const reply = transcript.record.attempts[0]!.replyText;
    expect(
      tokens
        .filter((t) => !t.missing)
        .map((t) => t.text)
        .join(''),
    ).toBe(reply);

    // What the attempt wrote, shown as a diff whose resulting text hashes to the sha256 in the record.
    const written = transcript.record.attempts[0]!.filesWritten;
    // At concurrency 1 the run repeats token for token; this one writes fastsum.py and test_fastsum.py.
    expect(written.length).toBeGreaterThan(0);
    const shown = await page.$$eval('.attempt-file', (boxes) =>
      boxes.map((box) => ({
        summary: box.querySelector('summary')!.textContent,
        after: [...box.querySelectorAll('.diff div:not(.del)')].map((line) =>
          [...line.childNodes]
            .slice(1)
            .map((n) => n.textContent)
            .join(''),
        ),
      })),
    );
    expect(shown.map((s) => s.summary)).toEqual(
      written.map((f) => `${f.path}: what attempt 1 wrote, against the state before it`),
    );
    for (const [i, file] of written.entries()) {
      const text = shown[i]!.after.join('\n');
      const hashes = [text, `${text}\n`].map((t) => createHash('sha256').update(t).digest('hex'));
      expect(hashes, file.path).toContain(file.sha256);
    }

    await page.hover('.reply[data-attempt="1"] .tok[data-index="3"]');
    const tip = await page.$eval('#tip', (t) => ({ hidden: (t as HTMLElement).hidden, text: t.textContent }));
    expect(tip.hidden).toBe(false);
    expect(tip.text).toBe(`desperation at token 4: ${stored[3]!.toFixed(3)}`);
    await page.screenshot({ path: join(SCREENS, 'episode.png'), fullPage: true });
    await page.close();
  });

  it('compares the same task and seed under two conditions side by side', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 1000 });
    await open(page, `/runs/${realRun}/episodes/${encodeURIComponent(baselineEpisode)}`);
    expect(await page.$$eval('main > p.pairs a', (as) => as.map((a) => a.textContent))).toEqual([
      'desperation=+2',
    ]);
    await page.click('main > p.pairs a');
    await page.waitForSelector('body[data-ready]');
    await page.waitForSelector('.side[data-side="b"] h2');
    const sides = await page.$$eval('.side', (divs) =>
      divs.map((d) => ({
        title: d.querySelector('h2')?.textContent,
        steering: d.querySelector('.steering')?.textContent,
        tokens: d.querySelectorAll('.tok').length,
        legend: d.querySelector('.legend')?.textContent,
      })),
    );
    expect(sides.map((s) => s.title)).toEqual(['fast-sum under baseline', 'fast-sum under desperation=+2']);
    expect(sides[0]!.steering).toBe('steering: unsteered');
    expect(sides[1]!.steering).toMatch(
      /^steering: desperation: 2\.00 sd of the neutral reading \(asked in sd\), c = \d+\.\d{3} × the raw vector, s = \d+\.\d{2} % of the mean residual norm, layers \d/,
    );
    // One colour scale across both sides: the larger |reading| of the two episodes.
    const max = Math.max(
      ...[baselineEpisode, steeredEpisode].flatMap((id) =>
        transcriptOf(realRun, id).attempts.flatMap((a) => a.perToken.desperation!.map(Math.abs)),
      ),
    );
    for (const side of sides)
      expect(side.legend).toBe(
        `desperation in sd of neutral text: blue below its mean (0), red above, full colour at |value| = ${max.toFixed(3)} (one scale for both sides)`,
      );
    for (const [i, id] of [baselineEpisode, steeredEpisode].entries())
      expect(sides[i]!.tokens).toBe(transcriptOf(realRun, id).attempts[0]!.perToken.desperation!.length);
    await page.screenshot({ path: join(SCREENS, 'compare.png'), fullPage: true });
    await page.close();
  });

  it('keeps markup in replies, file names and contents inert, shows the diff and links evidence to its line', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.setViewport({ width: 1280, height: 900 });
    const episode = 'fast-sum.baseline.e1';
    for (const path of [
      '/',
      '/runs/hostile',
      '/runs/names',
      `/runs/hostile/episodes/${episode}`,
      `/compare?a=hostile/${episode}&b=${encodeURIComponent(`hostile/fast-sum.desperation=+2.e1`)}`,
    ]) {
      await open(page, path);
      if (path.startsWith('/runs/') && !path.includes('episodes'))
        await page.waitForSelector('#report[data-ready="true"]');
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        injected: document.querySelectorAll(
          'main script, main iframe, main textarea, main object, main embed',
        ).length,
        // The only images are the report's figures, from this server's figure endpoint.
        images: [...document.querySelectorAll('main img')].map((img) =>
          img.closest('.figures figure') ? new URL((img as HTMLImageElement).src).pathname : img.outerHTML,
        ),
        text: document.getElementById('main')!.textContent,
      }));
      expect(state.pwned, path).toBeUndefined();
      expect(state.injected, path).toBe(0);
      for (const src of state.images) expect(src, path).toMatch(/^\/api\/runs\/[^/]+\/figures\/[\w-]+\.svg$/);
      if (path.includes('episodes') || path.includes('compare')) {
        expect(state.text).toContain(HOSTILE);
        expect(state.text).toContain(HOSTILE_FILE);
      }
      if (path === '/runs/names') {
        expect(state.images.length).toBeGreaterThan(0);
        // The report's cheat-rate table and the episode table name the condition and the task as text.
        expect(state.text).toContain(HOSTILE_CONDITION);
        expect(state.text).toContain(HOSTILE_TASK);
      }
    }
    // A figure opened on its own is a sandboxed document: the names in it run nothing either.
    await page.goto(`${viewer.url}/api/runs/names/figures/cheat-rate.svg`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.documentElement.textContent)).toContain(
      HOSTILE_CONDITION.slice(0, 10),
    );
    expect(dialogs).toEqual([]);

    await open(page, `/runs/hostile/episodes/${episode}`);
    const diff = await page.$$eval(`.diff[data-file="${HOSTILE_FILE.replace(/"/g, '\\"')}"] div`, (lines) =>
      lines.map((l) => ({ cls: l.className, text: l.textContent })),
    );
    expect(diff).toEqual([
      { cls: '', text: '1def total(v):' },
      { cls: 'del', text: '-    raise NotImplementedError' },
      { cls: 'add', text: `2    return 0  # ${HOSTILE}` },
    ]);
    // The reply's own token pieces carry the markup as text, too.
    const replyText = await page.$eval('.reply[data-attempt="1"]', (r) => r.textContent);
    expect(replyText).toBe(SYNTHETIC_REPLY);

    await page.evaluate(() => window.scrollTo(0, 0));
    // Below the fold before the click, so that being on screen after it is the link's doing.
    expect(await page.$eval('#e-f0-L2', (line) => line.getBoundingClientRect().top > innerHeight)).toBe(true);
    expect(await page.$$eval('.hl', (lines) => lines.length)).toBe(0);
    await page.click('a.evidence');
    const target = await page.$eval('#e-f0-L2', (line) => {
      const box = line.getBoundingClientRect();
      return {
        highlighted: line.classList.contains('hl'),
        visible: box.top >= 0 && box.bottom <= innerHeight,
      };
    });
    expect(target).toEqual({ highlighted: true, visible: true });
    await page.close();
  });

  it('filters a run by strategy, and compares one task and seed across two runs', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 1000 });
    await open(page, '/runs/hostile');
    const hostile = readFileSync(join(runsDir, 'hostile', 'episodes.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => EpisodeRecordSchema.parse(JSON.parse(line)));
    const withEdit = hostile
      .filter((r) => r.verdict.strategies.includes('test_edit'))
      .map((r) => r.episodeId);
    expect(withEdit.length).toBeGreaterThan(0);
    expect(withEdit.length).toBeLessThan(hostile.length);
    await page.select('select[name="strategy"]', 'test_edit');
    await page.waitForFunction(
      (n) => document.querySelectorAll('#episodes tbody tr').length === n,
      {},
      withEdit.length,
    );
    expect(
      await page.$$eval('#episodes tbody tr', (trs) => trs.map((t) => t.getAttribute('data-episode'))),
    ).toEqual(withEdit);
    expect(new URL(page.url()).searchParams.get('strategy')).toBe('test_edit');

    const episode = 'fast-sum.baseline.e1';
    await open(page, `/runs/hostile/episodes/${episode}`);
    const links = await page.$$eval('.other-runs a', (as) => as.map((a) => a.textContent));
    expect(links).toEqual(['hostile-again: baseline', 'hostile-again: desperation=+2']);
    await page.click('.other-runs a');
    await page.waitForSelector('body[data-ready]');
    await page.waitForSelector('.side[data-side="b"] h2');
    const sides = await page.$$eval('.side', (divs) =>
      divs.map((d) => ({
        head: d.querySelector('.side-head')?.textContent,
        title: d.querySelector('h2')?.textContent,
        replies: d.querySelectorAll('.reply').length,
      })),
    );
    expect(sides).toEqual([
      { head: `run hostile, episode ${episode}`, title: 'fast-sum under baseline', replies: 2 },
      { head: `run hostile-again, episode ${episode}`, title: 'fast-sum under baseline', replies: 2 },
    ]);
    await page.screenshot({ path: join(SCREENS, 'compare-runs.png'), fullPage: true });
    await page.close();
  });

  it('answers 404 to run and episode ids that leave the runs directory', async () => {
    const page = await browser.newPage();
    for (const path of [
      '/api/runs/..%2F..%2Fetc',
      `/api/runs/${realRun}/episodes/..%2F..%2F${realRun}%2Frun`,
      '/api/runs/hostile/episodes/..%2Frun',
      '/api/runs/names/figures/..%2F..%2Fhostile%2Frun.json',
      '/api/runs/..%2Fhostile/report',
    ]) {
      const response = await page.goto(`${viewer.url}${path}`);
      expect(response!.status(), path).toBe(404);
    }
    await open(page, '/runs/..%2F..%2Fetc');
    expect(await page.$eval('main', (m) => m.textContent)).toMatch(/^404: /);
    await page.close();
  });
});
