/**
 * The viewer's HTTP side on a synthetic run (fastify's inject, no socket): the run list, paging and
 * filters, one transcript per request, and ids that try to leave the runs directory get 404.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer, PAGE_LIMIT } from '../../../analysis/viewer/index.ts';
import { HOSTILE, writeSyntheticRun } from '../../support/synthetic-run.ts';

let app: FastifyInstance;
let runsDir: string;
let ids: string[];

beforeAll(async () => {
  runsDir = await mkdtemp(join(tmpdir(), 'harness-view-api-'));
  ids = await writeSyntheticRun(runsDir, { runId: 'synthetic', episodes: 24 });
  // A directory outside the runs directory, reachable only through a symbolic link inside it.
  const outside = await mkdtemp(join(tmpdir(), 'harness-view-outside-'));
  await mkdir(join(outside, 'transcripts'));
  await writeFile(join(outside, 'run.json'), '{}');
  await symlink(outside, join(runsDir, 'escape'));
  app = await buildViewer({ runsDir });
});

afterAll(() => app?.close());

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
    expect(runs.map((r) => r.runId)).toEqual(['synthetic']);
    expect(runs[0]!.episodes).toBe(24);
    // Every fourth episode is cheated (i % 4 === 1) among impossible ones (i % 3 !== 2): i in 1, 5, 9, 13, 17, 21
    // minus those with i % 3 === 2 (5, 17): 4 cheats, split by condition (i / 4 even: baseline).
    const cheats = Object.fromEntries(runs[0]!.conditions.map((c) => [c.id, c.cheated]));
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
    const summary = await get('/api/runs/synthetic/summary');
    expect(summary.body.summary).toMatch(/^validity\n/);
    expect(summary.body.summary).toContain('desperation=+2');
  });

  it('serves one transcript with its pairs under the other condition', async () => {
    const { status, body } = await get(`/api/runs/synthetic/episodes/${encodeURIComponent(ids[0]!)}`);
    expect(status).toBe(200);
    expect((body.transcript as { spec: string }).spec).toBe(HOSTILE);
    expect(body.pairs).toEqual([ids[4]]);
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
