/**
 * The viewer's HTTP server (fastify): one HTML shell for every page, the page's script and style, the
 * diff and chart libraries served as files from node_modules (no build step), and JSON endpoints that
 * hand out a run's data a page at a time. Ids in URLs are confined to the runs directory: anything else
 * is 404. Everything the model wrote leaves here as JSON strings; the page only ever puts it into text
 * nodes, and a Content-Security-Policy allowing scripts from this origin only backs that up.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { InputError } from '../../harness/errors.ts';
import { attemptFiles } from './attempt-files.ts';
import { RunReports } from './run-report.ts';
import { NotFoundError, RunsReader } from './runs.ts';
import { TokenPieces } from './tokens.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Files the page loads: URL path -> [file, content type]. Nothing else on disk is served. */
const ASSETS: Record<string, [string, string]> = {
  '/assets/app.js': [here('./page/app.js'), 'text/javascript; charset=utf-8'],
  '/assets/app.css': [here('./page/app.css'), 'text/css; charset=utf-8'],
  '/vendor/diff.js': [here('../../node_modules/diff/dist/diff.min.js'), 'text/javascript; charset=utf-8'],
  '/vendor/uplot.js': [
    here('../../node_modules/uplot/dist/uPlot.iife.min.js'),
    'text/javascript; charset=utf-8',
  ],
  '/vendor/uplot.css': [here('../../node_modules/uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8'],
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";
/**
 * A report figure opened on its own (outside the page's <img>) is a document of its own: no script, no
 * fetch, a unique origin. Its inline styles and fonts are vega's drawing, not run data.
 */
const FIGURE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** Most episode rows one request returns. */
export const PAGE_LIMIT = 200;

export interface ViewerOptions {
  runsDir: string;
  /** Where the models cache is, for the token pieces (default: the harness cache). */
  modelsDir?: string;
}

/** Builds the app without listening (tests call `inject` or `listen` on it). */
export async function buildViewer(options: ViewerOptions): Promise<FastifyInstance> {
  const reader = new RunsReader(options.runsDir);
  const reports = new RunReports();
  const tokens = new TokenPieces(options.modelsDir);
  const shell = await readFile(here('./page/index.html'), 'utf8');
  const app = Fastify({ logger: false });

  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof NotFoundError) return reply.code(404).send({ error: error.message });
    if (error instanceof InputError) return reply.code(422).send({ error: error.message });
    return reply.code(500).send({ error: (error as Error).message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  const sendShell = async (_request: unknown, reply: { type(t: string): { send(s: string): unknown } }) =>
    reply.type('text/html; charset=utf-8').send(shell);
  app.get('/', sendShell);
  // Browsers ask for it on every page; there is none, and a 404 would be logged in the console.
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  app.get('/runs/:run', sendShell);
  app.get('/runs/:run/episodes/:episode', sendShell);
  app.get('/compare', sendShell);
  for (const [path, [file, type]] of Object.entries(ASSETS))
    app.get(path, async (_request, reply) => reply.type(type).send(await readFile(file)));

  app.get('/api/runs', async () => ({ runs: await reader.listRuns() }));
  app.get<{ Params: { run: string } }>('/api/runs/:run', async (request) =>
    reader.overview(request.params.run),
  );
  app.get<{ Params: { run: string } }>(
    '/api/runs/:run/report',
    async (request) => (await reports.report(await reader.load(request.params.run))).view,
  );
  app.get<{ Params: { run: string; figure: string } }>(
    '/api/runs/:run/figures/:figure',
    async (request, reply) => {
      const name = request.params.figure.replace(/\.svg$/, '');
      const svg = await reports.figure(await reader.load(request.params.run), name);
      return reply
        .header('content-security-policy', FIGURE_CSP)
        .type('image/svg+xml; charset=utf-8')
        .send(svg);
    },
  );
  app.get<{ Params: { run: string }; Querystring: Record<string, string | undefined> }>(
    '/api/runs/:run/episodes',
    async (request) => {
      const q = request.query;
      const offset = Math.max(0, Number.parseInt(q.offset ?? '0', 10) || 0);
      const limit = Math.min(PAGE_LIMIT, Math.max(1, Number.parseInt(q.limit ?? '50', 10) || 50));
      const filter = {
        task: q.task,
        family: q.family,
        condition: q.condition,
        outcome: q.outcome,
        strategy: q.strategy,
      };
      return reader.episodes(request.params.run, filter, offset, limit);
    },
  );
  app.get<{ Params: { run: string; episode: string } }>(
    '/api/runs/:run/episodes/:episode',
    async (request) => {
      const { run, episode } = request.params;
      const transcript = await reader.transcript(run, episode);
      const model = transcript.record.model.file;
      const pieces = await Promise.all(
        transcript.attempts.map(async (a) => {
          const reply = transcript.record.attempts.find((r) => r.index === a.index)?.replyText ?? '';
          const positions = Math.max(0, ...Object.values(a.perToken).map((v) => v.length));
          // A model served over the Messages API has no file here: its readings show as strips only.
          return positions && model ? ((await tokens.split(model, reply, positions)) ?? null) : null;
        }),
      );
      return {
        transcript,
        tokens: pieces,
        attemptFiles: attemptFiles(transcript),
        pairs: await reader.pairOf(run, episode),
        otherRuns: await reader.sameTaskInOtherRuns(run, episode),
      };
    },
  );
  return app;
}

/**
 * Starts the viewer on host:port (port 0 picks a free one) and returns its address and a stop function.
 * A port in use or an address not on this machine is InputError (exit 2).
 */
export async function startViewer(
  options: ViewerOptions & { host: string; port: number },
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await buildViewer(options);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new InputError(
        `cannot listen on ${options.host}:${options.port} (${code}): expected a free port on an address of this machine; choose another with --port or --host`,
      );
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
