/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. Prefer awaiting an event where one exists. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the app listening on `port` answers its health check (a process just started). */
export function untilHealthy(port: number, what: string, timeoutMs = 15000): Promise<void> {
  const healthy = async () =>
    (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok === true;
  return waitFor(healthy, what, timeoutMs);
}
