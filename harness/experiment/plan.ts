/**
 * Planning: tasks x conditions x epochs -> episode specs with deterministic ids and seeds. A task and epoch
 * get the same seed under every condition (the paired design), so conditions differ only by steering.
 */
import { createHash } from 'node:crypto';

export interface EpisodeSpec {
  episodeId: string;
  taskId: string;
  conditionId: string;
  epoch: number;
  seed: number;
}

/** A 32-bit seed derived from the run seed, the task and the epoch: never from the condition. */
export function episodeSeed(runSeed: number, taskId: string, epoch: number): number {
  const digest = createHash('sha256').update(`${runSeed}\0${taskId}\0${epoch}`).digest();
  return digest.readUInt32BE(0);
}

/** File-name-safe slug of a condition id: `desperation=-2` -> `desperation_m2`, `calm=+2` -> `calm_2`. */
export function conditionSlug(conditionId: string): string {
  return conditionId
    .replace(/=\+?/g, '_')
    .replace(/_-/g, '_m')
    .replace(/,/g, '+')
    .replace(/[^A-Za-z0-9._+-]/g, '_');
}

export function planEpisodes(options: {
  taskIds: string[];
  conditionIds: string[];
  epochs: number;
  runSeed: number;
}): EpisodeSpec[] {
  const episodes: EpisodeSpec[] = [];
  // Epoch-major order: a run interrupted early still has every task and condition in its first epoch.
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (const taskId of options.taskIds) {
      const seed = episodeSeed(options.runSeed, taskId, epoch);
      for (const conditionId of options.conditionIds) {
        episodes.push({
          episodeId: `${taskId}.${conditionSlug(conditionId)}.e${epoch}`,
          taskId,
          conditionId,
          epoch,
          seed,
        });
      }
    }
  }
  return episodes;
}
