/**
 * Aggregate reply tokens per second of 8 concurrent @anthropic-ai/sdk clients against `harness serve`,
 * beside the same 8 sequences generated in process, from one invocation:
 *   npx tsx scripts/bench-serve.ts [--clients 8] [--tokens 96] [--rounds 2]
 * Same model object, same batch size (8), same prompts, greedy, so both sides decode the same tokens: the
 * difference is the API (HTTP, JSON, the SDK). The server listens on 127.0.0.1 in this process and the
 * clients run here too, so their work is counted against the server, never in its favour. Rounds alternate
 * (in process, then served) after an untimed warm-up of each; the figure is the mean over rounds.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { mean } from '../analysis/index.ts';
import { LocalBackend } from '../harness/backends/index.ts';
import { loadConfig } from '../harness/config/index.ts';
import { resolveModelPath } from '../harness/model/fetch.ts';
import { createServer } from '../harness/serve/index.ts';

const TOPICS = [
  'the sea',
  'a mountain',
  'a city at night',
  'an old library',
  'a garden',
  'a train',
  'winter',
  'a market',
];

export interface Throughput {
  tokens: number;
  wallMs: number;
  tokensPerSecond: number;
}

export function throughput(tokens: number, wallMs: number): Throughput {
  return { tokens, wallMs, tokensPerSecond: (1000 * tokens) / wallMs };
}

/** Starts every call at once and measures from the first start to the last end. */
async function timed(calls: (() => Promise<number>)[]): Promise<Throughput> {
  const started = performance.now();
  const tokens = await Promise.all(calls.map((c) => c()));
  return throughput(
    tokens.reduce((a, b) => a + b, 0),
    performance.now() - started,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '8' },
      tokens: { type: 'string', default: '96' },
      rounds: { type: 'string', default: '2' },
    },
  });
  const [clients, tokens, rounds] = [Number(values.clients), Number(values.tokens), Number(values.rounds)];
  if (![clients, tokens, rounds].every((n) => Number.isInteger(n) && n > 0))
    throw new Error('--clients, --tokens and --rounds expect positive integers');
  const { config } = await loadConfig({ overrides: [] });
  const backend = await LocalBackend.open({
    path: resolveModelPath(config.model.source),
    load: { threads: config.model.threads, maxBatch: clients },
    vectorsPath: config.probes.vectors ?? undefined,
    probeLayer: config.probes.layer,
    steeringLayers: config.steering.layers,
    randomSeed: config.experiment.seed,
  });
  const app = createServer(backend, { maxQueue: clients, bodyLimitBytes: 1 << 20 });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const sdk = Array.from(
      { length: clients },
      () =>
        new Anthropic({ apiKey: null, baseURL: url, defaultHeaders: { authorization: null }, maxRetries: 0 }),
    );
    const chats = Array.from({ length: clients }, (_, i) => [
      { role: 'user' as const, content: `Describe ${TOPICS[i % TOPICS.length]} in a long paragraph.` },
    ]);
    const inProcess = () =>
      timed(
        chats.map((messages) => async () => {
          const r = await backend.model.generate({ messages, maxTokens: tokens, temperature: 0 });
          return r.usage.completionTokens;
        }),
      );
    const served = () =>
      timed(
        chats.map((messages, i) => async () => {
          const params = { model: backend.identity.name, max_tokens: tokens, temperature: 0, messages };
          const r = await sdk[i]!.messages.create(
            params as unknown as Anthropic.MessageCreateParamsNonStreaming,
          );
          return r.usage.output_tokens;
        }),
      );
    console.log(
      `# harness serve against in-process generation: ${backend.identity.file}, ${clients} sequences of up to ${tokens} tokens, greedy\n`,
    );
    await inProcess();
    await served();
    const a: Throughput[] = [];
    const b: Throughput[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(await inProcess());
      b.push(await served());
    }
    const row = (label: string, t: Throughput[]) =>
      `| ${label} | ${t.map((x) => x.tokensPerSecond.toFixed(1)).join(', ')} | ${mean(t.map((x) => x.tokensPerSecond)).toFixed(1)} | ${t[0]!.tokens} |`;
    console.log('| path | reply tokens/s per round | mean | tokens a round |');
    console.log('| --- | --- | --- | --- |');
    console.log(row(`in process, ${clients} sequences batched`, a));
    console.log(row(`${clients} SDK clients against harness serve`, b));
    const ratio = mean(b.map((x) => x.tokensPerSecond)) / mean(a.map((x) => x.tokensPerSecond));
    console.log(`\nserved / in process: ${(100 * ratio).toFixed(1)} % (target: at least 90 %)`);
  } finally {
    await app.close();
    await backend.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
