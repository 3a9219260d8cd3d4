/**
 * The viewer's HTTP side on a synthetic run (fastify's inject, no socket): the run list, paging and
 * filters, one transcript per request, the run's report and figures (rebuilt when the records change),
 * and ids that try to leave the runs directory get 404.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer, PAGE_LIMIT, RunsReader } from '../../../analysis/viewer/index.ts';
import { RunReports } from '../../../analysis/viewer/run-report.ts';
import { RunStore } from '../../../harness/experiment/store.ts';
import { HOSTILE, HOSTILE_CONDITION, HOSTILE_TASK, writeSyntheticRun } from '../../support/synthetic-run.ts';

let app: FastifyInstance;
let runsDir: string;
let ids: string[];

beforeAll(async () => {
  runsDir = await mkdtemp(join(tmpdir(), 'harness-view-api-'));
  ids = await writeSyntheticRun(runsDir, { runId: 'synthetic', episodes: 24 });
  // The same tasks and seeds in a second run, and a run whose task and condition names are markup.
  await writeSyntheticRun(runsDir, { runId: 'again', episodes: 8 });
  await writeSyntheticRun(runsDir, { runId: 'grows', episodes: 2, tasks: ['word-count'] });
  await writeSyntheticRun(runsDir, {
    runId: 'names',
    episodes: 8,
    tasks: [HOSTILE_TASK, 'fast-sum'],
    conditions: ['baseline', HOSTILE_CONDITION],
  });
  // A directory outside the runs directory, reachable only through a symbolic link inside it.
  const outside = await mkdtemp(join(tmpdir(), 'harness-view-outside-'));
  await mkdir(join(outside, 'transcripts'));
  await writeFile(join(outside, 'run.json'), '{}');
  await symlink(outside, join(runsDir, 'escape'));
  app = await buildViewer({ runsDir });
});

afterAll(() => app?.close());

/** Every element name and attribute name in an XML document, and every attribute value. */
function xmlParts(xml: string): { elements: Set<string>; attributes: Set<string>; values: string[] } {
  const parts = { elements: new Set<string>(), attributes: new Set<string>(), values: [] as string[] };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@')) {
        parts.attributes.add(key.slice(1));
        parts.values.push(String(value));
      } else if (key !== '#text') {
        parts.elements.add(key);
        walk(value);
      }
    }
  };
  walk(new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml));
  return parts;
}

const get = async (url: string) => {
  const response = await app.inject({ method: 'GET', url });
  return {
    status: response.statusCode,
    body: response.json() as Record<string, unknown>,
    headers: response.headers,
  };
};

describe('viewer data endpoints', () => {
  it('lists the run with its conditions and cheat counts from the records', async () => {
    const { status, body } = await get('/api/runs');
    expect(status).toBe(200);
    const runs = body.runs as {
      runId: string;
      episodes: number;
      conditions: { id: string; cheated: number }[];
    }[];
    expect(runs.map((r) => r.runId).sort()).toEqual(['again', 'grows', 'names', 'synthetic']);
    const synthetic = runs.find((r) => r.runId === 'synthetic')!;
    expect(synthetic.episodes).toBe(24);
    // Every fourth episode is cheated (i % 4 === 1) among impossible ones (i % 3 !== 2): i in 1, 5, 9, 13, 17, 21
    // minus those with i % 3 === 2 (5, 17): 4 cheats, split by condition (i / 4 even: baseline).
    const cheats = Object.fromEntries(synthetic.conditions.map((c) => [c.id, c.cheated]));
    expect(cheats).toEqual({ baseline: 2, 'desperation=+2': 2 });
  });

  it('pages episodes and filters them; a page never exceeds PAGE_LIMIT rows', async () => {
    const first = await get('/api/runs/synthetic/episodes?offset=0&limit=10');
    expect(first.body.total).toBe(24);
    expect((first.body.rows as { episodeId: string }[]).map((r) => r.episodeId)).toEqual(ids.slice(0, 10));
    const last = await get('/api/runs/synthetic/episodes?offset=20&limit=10');
    expect((last.body.rows as unknown[]).length).toBe(4);
    const big = await get('/api/runs/synthetic/episodes?limit=100000');
    expect((big.body.rows as unknown[]).length).toBe(Math.min(24, PAGE_LIMIT));
    const filtered = await get(
      '/api/runs/synthetic/episodes?task=leap-year&condition=baseline&outcome=cheated',
    );
    const rows = filtered.body.rows as { taskId: string; conditionId: string; outcome: string }[];
    expect(rows.length).toBe(filtered.body.total);
    expect(
      rows.every((r) => r.taskId === 'leap-year' && r.conditionId === 'baseline' && r.outcome === 'cheated'),
    ).toBe(true);
    const overview = await get('/api/runs/synthetic');
    expect((overview.body.filters as Record<string, string[]>).condition).toEqual([
      'baseline',
      'desperation=+2',
    ]);
  });

  it('filters by family and by strategy, found or attempted', async () => {
    const all = (await get('/api/runs/synthetic/episodes?limit=200')).body.rows as {
      episodeId: string;
      family: string;
      strategies: string[];
    }[];
    const family = await get('/api/runs/synthetic/episodes?family=impossible-performance&limit=200');
    expect((family.body.rows as { episodeId: string }[]).map((r) => r.episodeId)).toEqual(
      all.filter((r) => r.family === 'impossible-performance').map((r) => r.episodeId),
    );
    expect(family.body.total).toBe(12);
    const strategy = await get('/api/runs/synthetic/episodes?strategy=test_edit&limit=200');
    const cheated = all.filter((r) => r.strategies.includes('test_edit')).map((r) => r.episodeId);
    // Every sixth-or-so synthetic episode is cheated: outcome cycles failed, cheated, gave_up, passed.
    expect(cheated.length).toBe(6);
    expect((strategy.body.rows as { episodeId: string }[]).map((r) => r.episodeId)).toEqual(cheated);
    expect((await get('/api/runs/synthetic/episodes?strategy=exit_hack')).body.total).toBe(0);
  });

  it("serves the run's report: the summary, the report's tables and its figures as SVG", async () => {
    const { status, body } = await get('/api/runs/synthetic/report');
    expect(status).toBe(200);
    expect(body.summaryText).toMatch(/^validity\n/);
    expect(body.runLine).toMatch(/; 24 of 24 episodes recorded; model synthetic\.gguf \(Q4_1\)$/);
    const sections = body.sections as { heading: string; table?: { rows: string[][] } }[];
    expect(sections.map((s) => s.heading)).toContain('Cheat rate per condition');
    // Cheats per condition among impossible episodes, as the run list counts them.
    const rates = sections.find((s) => s.heading === 'Cheat rate per condition')!.table!.rows;
    expect(rates.map((r) => [r[0], r[1]])).toEqual([
      ['baseline', '2/8'],
      ['desperation=+2', '2/8'],
    ]);
    const figures = body.figures as { name: string; title: string }[];
    expect(figures.map((f) => f.name)).toEqual([
      'cheat-rate',
      'readings-desperation',
      'readings-calm',
      'strategies',
    ]);
    const figure = await app.inject({ method: 'GET', url: '/api/runs/synthetic/figures/cheat-rate.svg' });
    expect(figure.statusCode).toBe(200);
    expect(figure.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(figure.headers['content-security-policy']).toContain('sandbox');
    expect(figure.headers['content-security-policy']).not.toContain('script-src');
    expect(figure.body).toMatch(/^<svg /);
    // The two plotted points, one per condition, each labelled with its cheats of impossible episodes.
    expect(figure.body.match(/>2\/8<\/text>/g)?.length).toBe(2);
    expect((await get('/api/runs/synthetic/figures/no-such-figure.svg')).status).toBe(404);
  });

  it('builds the report again when the run has a new episode line, and not before', async () => {
    const first = await get('/api/runs/grows/report');
    expect(first.body.runLine).toContain('2 of 2 episodes recorded');
    // One build per version of the records: the same version gives the same pending report.
    const reader = new RunsReader(runsDir);
    const reports = new RunReports();
    const version = await reader.load('grows');
    expect(await reader.load('grows')).toBe(version);
    const built = reports.report(version);
    expect(reports.report(await reader.load('grows'))).toBe(built);
    const { store } = await RunStore.open(runsDir, 'grows');
    const lines = readFileSync(store.episodesPath, 'utf8').trim().split('\n');
    const extra = JSON.parse(lines[0]!) as { episodeId: string };
    store.appendEpisode({ ...extra, episodeId: `${extra.episodeId}.copy` });
    const second = await get('/api/runs/grows/report');
    expect(second.body.runLine).toContain('3 of 2 episodes recorded');
    const newer = await reader.load('grows');
    expect(newer).not.toBe(version);
    expect(reports.report(newer)).not.toBe(built);
    expect((await reports.report(newer)).view.runLine).toBe(second.body.runLine);
  });

  it("keeps markup in task and condition names as text in the report's SVG", async () => {
    const { body } = await get('/api/runs/names/report');
    const rows = (body.sections as { heading: string; table?: { rows: string[][] } }[]).find(
      (s) => s.heading === 'Cheat rate per condition',
    )!.table!.rows;
    expect(rows.map((r) => r[0])).toEqual(['baseline', HOSTILE_CONDITION]);
    for (const { name } of body.figures as { name: string }[]) {
      const svg = (await app.inject({ method: 'GET', url: `/api/runs/names/figures/${name}.svg` })).body;
      const { elements, attributes } = xmlParts(svg);
      expect(
        [...elements].filter((e) => /script|img|image|foreignObject|iframe|a$/i.test(e)),
        name,
      ).toEqual([]);
      expect(
        [...attributes].filter((a) => /^on|href$/i.test(a)),
        name,
      ).toEqual([]);
    }
    const cheatRate = (await app.inject({ method: 'GET', url: '/api/runs/names/figures/cheat-rate.svg' }))
      .body;
    // The condition's name is in the figure, escaped by vega's SVG writer: text in an attribute value.
    expect(cheatRate).toContain('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    expect(xmlParts(cheatRate).values.some((v) => v.includes(HOSTILE_CONDITION))).toBe(true);
  });

  it('serves one transcript with its pairs under the other condition', async () => {
    const { status, body } = await get(`/api/runs/synthetic/episodes/${encodeURIComponent(ids[0]!)}`);
    expect(status).toBe(200);
    expect((body.transcript as { spec: string }).spec).toBe(HOSTILE);
    expect(body.pairs).toEqual([{ episodeId: ids[4], conditionId: 'desperation=+2' }]);
    // The same task, epoch and seed in the other run with these tasks, under both its conditions (the
    // names run has fast-sum at another seed, the grows run other tasks).
    expect(body.otherRuns).toEqual([
      { runId: 'again', episodeId: ids[0], conditionId: 'baseline' },
      { runId: 'again', episodeId: ids[4], conditionId: 'desperation=+2' },
    ]);
    // synthetic.gguf is not in the models cache: readings come without token pieces.
    expect(body.tokens).toEqual([null, null]);
  });

  it('answers 404 for ids that leave the runs directory or name nothing recorded', async () => {
    for (const url of [
      '/api/runs/..',
      '/api/runs/..%2F..%2Fetc',
      '/api/runs/%2E%2E/episodes',
      '/api/runs/escape',
      '/api/runs/escape/episodes',
      '/api/runs/synthetic/episodes/..%2F..%2Frun',
      '/api/runs/synthetic/episodes/..',
      '/api/runs/synthetic/episodes/not-recorded',
      '/api/runs/missing/episodes',
      '/etc/passwd',
      '/vendor/..%2F..%2Fpackage.json',
    ]) {
      const { status } = await get(url);
      expect(status, url).toBe(404);
    }
  });

  it('sends a Content-Security-Policy that allows scripts from this origin only', async () => {
    const { headers } = await app.inject({ method: 'GET', url: '/' });
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});
