import type { INestApplication } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: close the app (which stops accepting, closes peers with 1001
 * and ends links through the shutdown hooks) and exit 0. Nest's own shutdown hooks
 * re-raise the signal after closing, which makes the exit status a signal, not 0.
 */
export function exitCleanlyOnSignals(
  app: INestApplication,
  logger: { log(message: string): void },
): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: shutting down`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
