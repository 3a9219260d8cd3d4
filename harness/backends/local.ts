/**
 * The locally hosted model as a backend: one LocalModel and its emotion vectors, bound to a condition by
 * resolving its steering terms into vectors and reading the probe layer at every reply. `harness serve`
 * uses the same resolution and readings, so a reply through the Messages API equals one made in process.
 */
import { basename } from 'node:path';
import type { Readings } from '../agent/types.ts';
import { bindModel, readingsOf } from '../experiment/agent-model.ts';
import type { Condition } from '../log/index.ts';
import { cacheRoot } from '../model/fetch.ts';
import type { GenerateResult, SteerSpec } from '../model/generation.ts';
import { type LoadOptions, LocalModel } from '../model/local-model.ts';
import { type EmotionVectors, resolveEmotion, vectorsForModel } from '../probes/index.ts';
import {
  type ConditionRequest,
  resolveSteering,
  type SteerRequest,
  steeringBlocks,
} from '../steering/index.ts';
import type {
  BackendCapabilities,
  BackendIdentity,
  BoundCondition,
  ModelBackend,
  Sampling,
} from './types.ts';

export interface LocalBackendOptions {
  /** A resolved GGUF path. */
  path: string;
  load: Omit<LoadOptions, 'cacheRoot'>;
  /** The emotion vectors file; default the cache's file for the model. */
  vectorsPath?: string;
  /** probes.layer of the config (null = the validated recommendation). */
  probeLayer: number | null;
  /** steering.layers of the config: consecutive blocks steered from the probe layer on. */
  steeringLayers: number;
  /** Seed of the `random` control direction. */
  randomSeed: number;
}

/** A condition's steering as the model adds it and as records carry it. */
export interface ResolvedCondition {
  steer: SteerSpec[];
  terms: Condition['steer'];
}

export class LocalBackend implements ModelBackend {
  readonly capabilities: BackendCapabilities = { steering: true, readings: true };
  readonly identity: BackendIdentity;

  private constructor(
    readonly model: LocalModel,
    readonly vectors: EmotionVectors,
    /** The probe layer: read at every reply, and the first block steered. */
    readonly layer: number,
    readonly steerLayers: number[],
    private readonly randomSeed: number,
  ) {
    const id = model.identity;
    this.identity = {
      backend: 'local',
      name: basename(id.file).replace(/\.gguf$/i, ''),
      file: id.file,
      sha256: id.sha256,
      quantization: `${id.fileQuantization} as ${id.graphQuantization}`,
      layers: id.layerCount,
    };
  }

  /** Loads the model and its vectors; PrerequisiteError when the model has no vectors file. */
  static async open(o: LocalBackendOptions): Promise<LocalBackend> {
    const model = await LocalModel.load(o.path, o.load);
    try {
      const { vectors, path } = vectorsForModel(o.vectorsPath, model.modelSha256, cacheRoot());
      const { layer, blocks } = steeringBlocks({
        layerCount: model.layerCount,
        probeLayer: o.probeLayer,
        count: o.steeringLayers,
        vectorsPath: path,
      });
      return new LocalBackend(model, vectors, layer, blocks, o.randomSeed);
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Steering requests as vectors for the model and terms for the record; InputError for a bad request. */
  resolve(requests: readonly SteerRequest[]): ResolvedCondition {
    const resolved = resolveSteering(requests, this.vectors, {
      vectorLayer: this.layer,
      layers: this.steerLayers,
      seed: this.randomSeed,
    });
    return {
      steer: resolved.map((s) => ({ vector: s.vector, coefficient: s.coefficient, layers: s.layers })),
      terms: resolved.map((s) => ({
        vector: s.name,
        unit: s.unit,
        sd: s.sd,
        strength: s.strength,
        coefficient: s.coefficient,
        layers: s.layers,
      })),
    };
  }

  /** Per-emotion readings of a reply at the probe layer; InputError for an unknown emotion name. */
  readings(result: GenerateResult, emotions: readonly string[]): Readings | undefined {
    return readingsOf(result, { vectors: this.vectors, emotions: [...emotions], layer: this.layer });
  }

  async bind(c: ConditionRequest, sampling: Sampling, emotions: readonly string[]): Promise<BoundCondition> {
    for (const e of emotions) resolveEmotion(e);
    const { steer, terms } = this.resolve(c.steer);
    const readout = emotions.length
      ? { vectors: this.vectors, emotions: [...emotions], layer: this.layer }
      : undefined;
    const model = bindModel(this.model, sampling, steer, readout);
    return { model, condition: { id: c.id, steer: terms } };
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
