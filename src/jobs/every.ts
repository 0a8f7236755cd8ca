/**
 * Runs `task` every `intervalMs`, never two at once, until stopped. A failing
 * run is reported and the schedule goes on. The durable job runner (pg-boss)
 * replaces this for multi-instance work; this is enough for one process.
 */
export function every(intervalMs: number, task: () => Promise<void>, onError: (error: unknown) => void): { runNow(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped) return Promise.resolve();
    running ??= task()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
