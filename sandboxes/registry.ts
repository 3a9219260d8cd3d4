/**
 * Live sandboxes of this process. On SIGINT/SIGTERM every one is removed before the process exits, so an
 * interrupted run leaves no container behind. (After SIGKILL, `harness sandbox prune` removes them.)
 */
interface Destroyable {
  destroy(): Promise<void>;
}

const live = new Set<Destroyable>();
let installed = false;

export function track(sandbox: Destroyable): void {
  live.add(sandbox);
  installSignalHandlers();
}

export function untrack(sandbox: Destroyable): void {
  live.delete(sandbox);
}

export async function destroyAll(): Promise<void> {
  await Promise.allSettled([...live].map((s) => s.destroy()));
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      if (live.size > 0)
        process.stderr.write(`\nharness: ${signal} received, removing ${live.size} sandbox(es)\n`);
      destroyAll().finally(() => process.exit(code));
    });
  }
}
