/**
 * Building and validating the vectors of a model in one pass over the corpus, and where the results live:
 * the vectors file and, beside it, the validation report (Markdown and JSON) whose recommended layer is
 * the default probe layer of runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ActivationSource } from './activations.ts';
import { buildVectors } from './build.ts';
import { loadCorpus } from './corpus.ts';
import { renderValidationReport } from './report.ts';
import { defaultHeldOut, type ValidationResult, validateVectors } from './validate.ts';
import { encodeVectors } from './vectors-file.ts';

export const DEFAULT_TOKEN_OFFSET = 20;

export function validationPaths(vectorsPath: string): { json: string; markdown: string } {
  const base = vectorsPath.replace(/\.json$/, '');
  return { json: `${base}.validation.json`, markdown: `${base}.validation.md` };
}

async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

export async function buildAndValidate(
  source: ActivationSource,
  vectorsPath: string,
  options: { layers?: number[]; tokenOffset?: number; onProgress?: (done: number, total: number) => void },
): Promise<ValidationResult> {
  const corpus = loadCorpus();
  const layers = options.layers ?? Array.from({ length: source.layerCount }, (_, i) => i);
  const built = await buildVectors(source, corpus, {
    layers,
    tokenOffset: options.tokenOffset ?? DEFAULT_TOKEN_OFFSET,
    onProgress: options.onProgress,
  });
  const validation = validateVectors(built.activations, built.projections, defaultHeldOut(corpus.premises));
  const paths = validationPaths(vectorsPath);
  await writeAtomic(paths.json, `${JSON.stringify(validation, null, 2)}\n`);
  await writeAtomic(paths.markdown, renderValidationReport(validation));
  // The vectors file last: its presence means the build finished.
  await writeAtomic(vectorsPath, `${JSON.stringify(encodeVectors(built.vectors))}\n`);
  return validation;
}

/** The layer validation recommended for these vectors, if a report is beside them. */
export function recommendedLayer(vectorsPath: string): number | undefined {
  const { json } = validationPaths(vectorsPath);
  if (!existsSync(json)) return undefined;
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as Partial<ValidationResult>;
  return typeof parsed.recommendedLayer === 'number' ? parsed.recommendedLayer : undefined;
}
