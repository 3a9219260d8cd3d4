/**
 * The documented extensions of the Messages API that `harness serve` understands and the Anthropic
 * backend sends when (and only when) the server advertises them. A server without them (Claude,
 * llama.cpp, vLLM) never receives one of these fields.
 *
 * Request (`POST /v1/messages` and `/v1/messages/count_tokens`):
 *   steer: string[]      steering terms written as for `--steer`, e.g. ["desperation=-2"]
 *   readings: string[]   emotions whose probe readings to return
 *   seed: number         sampling seed (same seed, same settings: same text)
 * Response (non-streaming body, or the streamed `message_delta` event):
 *   readings: ApiReadings   (absent when none were asked for)
 *   steer: Condition['steer'] the terms resolved: both units and the steered blocks (count_tokens too)
 * Model entry of `GET /v1/models`:
 *   harness: ServedModel    what the server can do, and which weights it runs
 */
import type { Readings } from '../agent/types.ts';
import type { Condition } from '../log/index.ts';

export interface RequestExtensions {
  steer?: string[];
  readings?: string[];
  seed?: number;
}

export interface ApiReadings {
  /** The block after which the residual is read (the probe layer). */
  layer: number;
  /** Per emotion: mean, lastPrompt, max, meanCosine and the projection at each reply token. */
  emotions: Readings;
}

export interface ResponseExtensions {
  readings?: ApiReadings;
  steer?: Condition['steer'];
}

export interface ServedModel {
  capabilities: { steering: boolean; readings: boolean };
  file: string;
  sha256: string;
  quantization: string;
  layers: number;
  /** Emotions the server's vectors can read and steer. */
  emotions: string[];
}
