import { Command } from 'commander';
import { HubRequest, hubRequest, HubResponse } from './hub-http';
import { hubTarget } from './hub-options';

/**
 * A REST call to the hub the command's options (or the current context) name, with their
 * token and timeout; `minTimeoutMs` for calls the hub answers only after work of its own.
 */
export function commandRequest<T = unknown>(
  command: Command,
  path: string,
  { method, minTimeoutMs = 0 }: { method?: HubRequest['method']; minTimeoutMs?: number } = {},
): Promise<HubResponse<T>> {
  const { hub, token, timeoutMs } = hubTarget(command);
  return hubRequest<T>(hub, path, { method, token, timeoutMs: Math.max(timeoutMs, minTimeoutMs) });
}

/** Prints what the hub sent as JSON with `--json`, else its summary for a person. */
function printDocument(body: unknown, json: boolean | undefined, summary: () => string) {
  process.stdout.write(`${json ? JSON.stringify(body, null, 2) : summary()}\n`);
}

export interface DocumentCommandSpec {
  description: string;
  /** The help of `--json`. */
  json: string;
  /** What the command GETs from the hub. */
  path: string;
  /** The document as a person reads it. */
  summary: (body: unknown) => string;
}

/** A command that GETs a document from the hub and prints its summary, or (`--json`) itself. */
export function documentCommand(name: string, spec: DocumentCommandSpec): Command {
  return new Command(name)
    .description(spec.description)
    .option('--json', spec.json)
    .action(async (options: { json?: boolean }, command: Command) => {
      const { body } = await commandRequest(command, spec.path);
      printDocument(body, options.json, () => spec.summary(body));
    });
}
