/** `harness model bench`: local model speed beside node-llama-cpp's, from one run. */
import type { Command } from 'commander';
import { InputError } from '../../errors.ts';
import { type BenchResult, benchSession } from '../../model/bench.ts';
import { resolveModelPath } from '../../model/fetch.ts';
import { LocalModel } from '../../model/local-model.ts';
import type { Quantization } from '../../model/types.ts';
import { loadCommandConfig, modelOption } from '../context.ts';

export interface ModelBenchOptions {
  /** model.source: 'default', a GGUF path, a cached file name or a pulled URL. */
  model?: string;
  context: number;
  batch: number[];
  steps: number;
  repeats: number;
  threads: number;
  quantization: Quantization;
  memoryContext: number;
}

export async function runModelBench(o: ModelBenchOptions, log: (line: string) => void): Promise<BenchResult> {
  const path = resolveModelPath(o.model);
  const model = await LocalModel.load(path, {
    quantization: o.quantization,
    threads: o.threads,
    // node-llama-cpp's threads spin too: both measured with the machine to themselves.
    spin: true,
    onProgress: log,
  });
  try {
    const sampleTokens = model.codec.encode(BENCH_TEXT, false);
    return await benchSession(model.session, {
      modelPath: path,
      threads: o.threads,
      context: o.context,
      batchSizes: o.batch,
      decodeSteps: o.steps,
      repeats: o.repeats,
      sampleTokens,
      memoryContext: o.memoryContext,
    });
  } finally {
    await model.dispose();
  }
}

/** Any fixed English text: prompts are built by cycling its tokens up to the context length. */
const BENCH_TEXT =
  'The harbour was quiet in the early morning. Fishing boats rocked against the pier while gulls ' +
  'argued over scraps, and a baker two streets away pulled the first loaves from the oven. By seven ' +
  'the market stalls were open: apples, cheese, rope, nets, and a man selling old maps of the coast.';

export function formatBench(r: BenchResult, o: ModelBenchOptions): string {
  const rows: [string, string, string][] = [['', 'harness (onnxruntime)', 'node-llama-cpp']];
  const peer = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(1));
  rows.push([
    `prefill tok/s (${o.context} tokens)`,
    r.prefillTokensPerS.toFixed(1),
    peer(r.peer?.prefillTokensPerS),
  ]);
  for (const d of r.decode)
    rows.push([
      `decode tok/s, ${d.batch} seq at ${o.context} ctx`,
      `${d.tokensPerS.toFixed(1)} (${d.msPerStep.toFixed(1)} ms/step)`,
      d.batch === 1 ? peer(r.peer?.decodeTokensPerS) : '',
    ]);
  const m = r.memory;
  rows.push([
    m ? `peak RSS (MB), incl. ${m.batch} seq at ${m.context} ctx` : 'peak RSS (MB)',
    m ? `${r.peakRssMb.toFixed(0)} (KV cache ${m.kvCacheMb.toFixed(0)})` : r.peakRssMb.toFixed(0),
    '',
  ]);
  const single = r.decode.find((d) => d.batch === 1)?.tokensPerS;
  const most = r.decode.at(-1);
  if (r.peer) {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    rows.push(['prefill vs node-llama-cpp', ratio(r.prefillTokensPerS, r.peer.prefillTokensPerS), '']);
    if (single) rows.push(['1-seq decode vs node-llama-cpp', ratio(single, r.peer.decodeTokensPerS), '']);
    if (most && most.batch > 1)
      rows.push([
        `${most.batch}-seq aggregate vs node-llama-cpp 1 seq`,
        ratio(most.tokensPerS, r.peer.decodeTokensPerS),
        '',
      ]);
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const lines = rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd());
  if (r.peerError) lines.push(`node-llama-cpp: ${r.peerError}`);
  lines.push(`medians over ${o.steps} decode steps and ${o.repeats} prefills; ${o.threads} threads`);
  return lines.join('\n');
}

function integer(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InputError(`${name} expects a positive integer, received ${JSON.stringify(value)}`);
    return n;
  };
}

export function registerModelBench(model: Command): void {
  const bench = model
    .command('bench')
    .description('prefill and decode speed (1, 4, 8 sequences) and peak memory, beside node-llama-cpp');
  modelOption(bench)
    .option('--context <n>', 'prompt tokens before decoding', integer('--context'), 1024)
    .option(
      '--batch <list>',
      'batch sizes to decode',
      (v) => v.split(',').map((x) => integer('--batch')(x.trim())),
      [1, 4, 8],
    )
    .option('--steps <n>', 'decode steps per batch size', integer('--steps'), 32)
    .option('--repeats <n>', 'prefill repetitions', integer('--repeats'), 3)
    .option('--threads <n>', 'CPU threads (both runtimes)', integer('--threads'), 2)
    .option('--quantization <q>', 'q4 or fp32', 'q4')
    .option(
      '--memory-context <n>',
      'tokens per sequence in the memory phase (largest batch); 0 skips it',
      (v) => (v === '0' ? 0 : integer('--memory-context')(v)),
      2048,
    )
    .action(async (opts, command: Command) => {
      if (opts.quantization !== 'q4' && opts.quantization !== 'fp32')
        throw new InputError(
          `--quantization expects q4 or fp32, received ${JSON.stringify(opts.quantization)}`,
        );
      const { config } = await loadCommandConfig(command);
      const o: ModelBenchOptions = { ...(opts as ModelBenchOptions), model: config.model.source };
      const r = await runModelBench(o, (line) => process.stderr.write(`${line}\n`));
      process.stdout.write(`${formatBench(r, o)}\n`);
    });
}
