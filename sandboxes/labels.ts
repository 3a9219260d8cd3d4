/** Labels on every container the harness creates, so leftovers of a crashed run can be found. */
export const LABEL_MANAGED = 'org.impossible-harness.managed';
export const LABEL_OWNER_PID = 'org.impossible-harness.owner-pid';
export const LABEL_RUN = 'org.impossible-harness.run';
export const LABEL_EPISODE = 'org.impossible-harness.episode';

export function sandboxLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: String(process.pid) };
}
