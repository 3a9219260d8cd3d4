/**
 * The vectors file: versioned JSON whose float32 payload (little-endian, [layer][emotion][hidden]) is
 * base64 inside the same file, so one path carries everything and a truncated copy fails to load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { EMOTIONS, type Emotion, resolveEmotion } from './emotions.ts';

/** 2 added `calibration`: the neutral mean and standard deviation of every reading. */
export const VECTORS_SCHEMA_VERSION = 2;

/** The command that rebuilds the vectors file of the configured model. */
export const REBUILD_COMMAND = 'bin/harness probes build --force';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const VectorsFileSchema = z
  .object({
    schemaVersion: z.literal(VECTORS_SCHEMA_VERSION),
    kind: z.literal('emotion-vectors'),
    model: z
      .object({
        sha256: Sha256,
        layerCount: z.number().int().positive(),
        hidden: z.number().int().positive(),
      })
      .strict(),
    layers: z.array(z.number().int().nonnegative()).min(1),
    tokenOffset: z.number().int().nonnegative(),
    emotions: z.array(z.enum(EMOTIONS)).min(1),
    /** Per layer: mean |h| over the averaged story positions. */
    meanResidualNorm: z.array(z.number().positive()),
    /** [layer][emotion]: |v|. */
    norms: z.array(z.array(z.number().nonnegative())),
    neutral: z
      .object({
        fraction: z.number().min(0).max(1),
        dialogues: z.number().int().nonnegative(),
        positions: z.number().int().nonnegative(),
        /** Per layer: principal components removed and the neutral variance they explain. */
        components: z.array(z.number().int().nonnegative()),
        explained: z.array(z.number().min(0).max(1)),
      })
      .strict(),
    /**
     * Per layer and emotion, over every token (from the token offset on) of the neutral dialogues held out
     * of the principal-component fit: the mean and standard deviation of the projection onto the unit
     * vector. A reading in sd is z = (projection - mean) / sd.
     */
    calibration: z
      .object({
        dialogues: z.number().int().positive(),
        tokens: z.number().int().positive(),
        mean: z.array(z.array(z.number())),
        sd: z.array(z.array(z.number().positive())),
      })
      .strict(),
    corpus: z
      .object({ stories: z.number().int().positive(), fallbackStories: z.number().int().nonnegative() })
      .strict(),
    payload: z.object({ encoding: z.literal('base64-float32le'), data: z.string() }).strict(),
  })
  .strict();

export type VectorsFile = z.infer<typeof VectorsFileSchema>;

/** A loaded vectors file: its metadata and the decoded payload. */
export interface EmotionVectors extends Omit<VectorsFile, 'payload'> {
  data: Float32Array;
}

export function layerIndex(vs: EmotionVectors, layer: number): number {
  const li = vs.layers.indexOf(layer);
  if (li < 0) throw new InputError(`the vectors file has no layer ${layer}; it has ${vs.layers.join(', ')}`);
  return li;
}

/** The neutral mean and standard deviation of the projection onto `emotion`'s unit vector at `layer`. */
export function neutralStats(
  vs: EmotionVectors,
  emotion: Emotion | string,
  layer: number,
): { mean: number; sd: number } {
  const li = layerIndex(vs, layer);
  const ei = emotionIndex(vs, emotion);
  return { mean: vs.calibration.mean[li]![ei]!, sd: vs.calibration.sd[li]![ei]! };
}

function emotionIndex(vs: EmotionVectors, emotion: Emotion | string): number {
  const e = resolveEmotion(emotion);
  const ei = vs.emotions.indexOf(e);
  if (ei < 0) throw new InputError(`the vectors file has no ${e} vector; it has ${vs.emotions.join(', ')}`);
  return ei;
}

/** The raw vector of `emotion` (noun or adjective) at `layer`; a view into the payload. */
export function getVector(vs: EmotionVectors, emotion: Emotion | string, layer: number): Float32Array {
  const ei = emotionIndex(vs, emotion);
  const h = vs.model.hidden;
  const offset = (layerIndex(vs, layer) * vs.emotions.length + ei) * h;
  return vs.data.subarray(offset, offset + h);
}

export function encodeVectors(vs: EmotionVectors): VectorsFile {
  const { data, ...meta } = vs;
  const bytes = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i]!, i * 4);
  return { ...meta, payload: { encoding: 'base64-float32le', data: bytes.toString('base64') } };
}

export function saveVectors(file: string, vs: EmotionVectors): void {
  writeFileSync(file, `${JSON.stringify(encodeVectors(vs))}\n`);
}

/** The schema version a parsed file declares, if any; files are checked for it before their shape. */
export function declaredVersion(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null
    ? (raw as { schemaVersion?: unknown }).schemaVersion
    : undefined;
}

/** The format version a vectors file on disk declares; undefined when unreadable or declaring none. */
export function vectorsFileVersion(file: string): unknown {
  try {
    return declaredVersion(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Validates a parsed vectors file; `where` names it in error messages. */
export function decodeVectors(raw: unknown, where: string): EmotionVectors {
  const version = declaredVersion(raw);
  if (typeof version === 'number' && version !== VECTORS_SCHEMA_VERSION)
    throw new InputError(
      `${where} has format version ${version}; this harness reads version ${VECTORS_SCHEMA_VERSION}, ` +
        `which adds the neutral calibration that readings and steering in sd need. Rebuild it with \`${REBUILD_COMMAND}\``,
    );
  const parsed = VectorsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 8)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InputError(
      `${where} is not a valid vectors file (schema version ${VECTORS_SCHEMA_VERSION}):\n  ${issues.join('\n  ')}`,
    );
  }
  const { payload, ...meta } = parsed.data;
  const L = meta.layers.length;
  const E = meta.emotions.length;
  const h = meta.model.hidden;
  const shapeProblem = meta.layers.some((l) => l >= meta.model.layerCount)
    ? `layers beyond the model's ${meta.model.layerCount}`
    : meta.meanResidualNorm.length !== L
      ? `${meta.meanResidualNorm.length} mean residual norms for ${L} layers`
      : meta.norms.length !== L || meta.norms.some((r) => r.length !== E)
        ? `norms that are not ${L} x ${E}`
        : meta.neutral.components.length !== L || meta.neutral.explained.length !== L
          ? `neutral statistics not per layer`
          : [meta.calibration.mean, meta.calibration.sd].some(
                (m) => m.length !== L || m.some((r) => r.length !== E),
              )
            ? `calibration that is not ${L} x ${E}`
            : new Set(meta.emotions).size !== E
              ? 'a repeated emotion'
              : undefined;
  if (shapeProblem) throw new InputError(`${where} is malformed: it has ${shapeProblem}`);
  const bytes = Buffer.from(payload.data, 'base64');
  if (bytes.length !== L * E * h * 4)
    throw new InputError(
      `${where} is malformed: its payload has ${bytes.length} bytes, expected ${L} layers x ${E} emotions x ${h} x 4 = ${L * E * h * 4}`,
    );
  const data = new Float32Array(L * E * h);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
  if (!data.every(Number.isFinite))
    throw new InputError(`${where} is malformed: its payload holds non-finite values`);
  return { ...meta, data };
}

/**
 * Loads and validates a vectors file. With `modelSha256`, a file built for another model is refused:
 * its directions mean nothing in a different residual stream.
 */
export function loadVectors(file: string, options: { modelSha256?: string } = {}): EmotionVectors {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read vectors file ${file}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`vectors file ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const vs = decodeVectors(raw, `vectors file ${file}`);
  if (options.modelSha256 !== undefined && vs.model.sha256 !== options.modelSha256.toLowerCase())
    throw new InputError(
      `vectors file ${file} was built for the model with sha256 ${vs.model.sha256}, ` +
        `but the model in use has sha256 ${options.modelSha256}; rebuild with \`harness probes build\``,
    );
  return vs;
}
