/**
 * Live sandboxes of this process. On SIGINT/SIGTERM the process stops: no new sandbox may be created
 * (one created while the signal arrives is removed at once), listeners are told so that nothing scored
 * against a removed container is recorded, and every sandbox is removed before the process exits, so an
 * interrupted run leaves no container behind. (After SIGKILL, `harness sandbox prune` removes them.)
 */
interface Destroyable {
  destroy(): Promise<void>;
}

const live = new Set<Destroyable>();
let installed = false;
let stopping = false;
const stopListeners = new Set<() => void>();

/** Whether a stop signal arrived: nothing new may start and nothing still in flight may be recorded. */
export function isStopping(): boolean {
  return stopping;
}

/** Calls `listener` when a stop signal arrives; returns a function that removes it. */
export function onStop(listener: () => void): () => void {
  stopListeners.add(listener);
  installSignalHandlers();
  return () => stopListeners.delete(listener);
}

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

/** Removes every live sandbox, again while creations that were already under way still land. */
async function removeUntilNoneLeft(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await destroyAll();
    // A container whose creation was in flight is tracked when it lands (and removed by createSandbox).
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (live.size === 0) return;
  }
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const listener of stopListeners) listener();
      if (live.size > 0)
        process.stderr.write(`\nharness: ${signal} received, removing ${live.size} sandbox(es)\n`);
      removeUntilNoneLeft().finally(() => process.exit(code));
    });
  }
}
