/**
 * The locally hosted model: a GGUF file, its ONNX graph (built once and cached on disk) and an
 * onnxruntime-node session, behind the generate interface. Build with load(), free with dispose().
 */
import { basename } from 'node:path';
import { cacheRoot } from './fetch.ts';
import { cachedGraph } from './graph/cache.ts';
import { graphMaxPositions } from './graph/llama.ts';
import { type OpenedModel, openGguf } from './open-gguf.ts';
import { ModelRuntime } from './runtime.ts';
import { DecoderSession } from './session.ts';
import type { BuildOptions, Quantization } from './types.ts';

export interface LoadOptions {
  quantization?: Quantization;
  /** Blocks that can be steered; default all (measured cost: a few per cent of a decode step). */
  steerLayers?: number[];
  /** Blocks whose residuals can be read; default all. */
  readoutLayers?: number[];
  threads?: number;
  /** Spinning worker threads: faster when nothing else needs the cores (see DecoderSession.create). */
  spin?: boolean;
  /** Root of the harness cache; graphs go to <root>/graphs. */
  cacheRoot?: string;
  /** Sequences decoded together when generate() calls overlap. */
  maxBatch?: number;
  /** Finished sequences kept so a later prompt starting with one is not prefilled again; default 0. */
  prefixEntries?: number;
  onProgress?: (message: string) => void;
}

/** What a record needs to say which model produced it. */
export interface ModelIdentity {
  file: string;
  sha256: string;
  architecture: string;
  layerCount: number;
  hidden: number;
  fileQuantization: string;
  graphQuantization: Quantization;
}

export class LocalModel extends ModelRuntime {
  private constructor(
    session: DecoderSession,
    private readonly opened: OpenedModel,
    readonly identity: ModelIdentity,
    maxBatch: number,
    prefixEntries: number,
  ) {
    super(session, opened.codec, maxBatch, prefixEntries);
  }

  static async load(path: string, options: LoadOptions = {}): Promise<LocalModel> {
    const opened = await openGguf(path);
    try {
      const c = opened.weights.config;
      const all = Array.from({ length: c.blockCount }, (_, i) => i);
      const build: BuildOptions = {
        quantization: options.quantization ?? 'q4',
        steerLayers: options.steerLayers ?? all,
        readoutLayers: options.readoutLayers ?? all,
      };
      options.onProgress?.('preparing the ONNX graph (built once per model and options, then cached)');
      const graph = await cachedGraph(opened.weights, build, options.cacheRoot ?? cacheRoot(), (file) =>
        DecoderSession.create(
          file,
          c,
          build,
          graphMaxPositions(c),
          options.threads ?? 2,
          options.spin ?? false,
        ),
      );
      if (graph.built) options.onProgress?.(`built ${graph.path}`);
      const session = graph.loaded;
      const identity: ModelIdentity = {
        file: basename(path),
        sha256: opened.sha256,
        architecture: c.architecture,
        layerCount: c.blockCount,
        hidden: c.embeddingLength,
        fileQuantization: opened.fileQuantization,
        graphQuantization: build.quantization,
      };
      return new LocalModel(session, opened, identity, options.maxBatch ?? 8, options.prefixEntries ?? 0);
    } catch (error) {
      await opened.close();
      throw error;
    }
  }

  /** For probe building (the ActivationSource shape): the file's sha256. */
  get modelSha256(): string {
    return this.identity.sha256;
  }

  get layerCount(): number {
    return this.identity.layerCount;
  }

  get hidden(): number {
    return this.identity.hidden;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.opened.close();
  }
}
