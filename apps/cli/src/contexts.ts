import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { badInput } from './cli-error';

/**
 * A named set of connection settings, as `nats context` keeps them: `ces context save prod
 * --hub wss://ces.example.com --token …` once, then `ces context use prod`.
 */
export interface CesContext {
  hub?: string;
  token?: string;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** `$XDG_CONFIG_HOME/ces`, else `~/.config/ces`. */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'ces');
}

/** Where contexts live: one JSON file each, and the name of the current one. */
export class ContextStore {
  constructor(private readonly directory = configDirectory()) {}

  private get contextsDirectory(): string {
    return join(this.directory, 'contexts');
  }

  private get currentFile(): string {
    return join(this.directory, 'current-context');
  }

  private fileOf(name: string): string {
    if (!NAME.test(name))
      throw badInput(
        `invalid context name ${JSON.stringify(name)}: letters, digits and . _ - only`,
      );
    return join(this.contextsDirectory, `${name}.json`);
  }

  names(): string[] {
    if (!existsSync(this.contextsDirectory)) return [];
    return readdirSync(this.contextsDirectory)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
  }

  /** The context, or a bad-input error naming the ones there are. */
  get(name: string): CesContext {
    const file = this.fileOf(name);
    if (!existsSync(file)) {
      const known = this.names();
      throw badInput(
        `no context ${JSON.stringify(name)}${known.length ? ` (there are: ${known.join(', ')})` : ' (save one with `ces context save NAME --hub …`)'}`,
      );
    }
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CesContext;
    } catch (error) {
      throw badInput(`context file ${file} is not valid JSON: ${(error as Error).message}`);
    }
  }

  /** Saves a context; readable by its owner only, since it may hold a token. */
  save(name: string, context: CesContext): string {
    const file = this.fileOf(name);
    mkdirSync(this.contextsDirectory, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  }

  remove(name: string): void {
    const file = this.fileOf(name);
    if (!existsSync(file)) this.get(name);
    rmSync(file);
    if (this.current() === name) rmSync(this.currentFile, { force: true });
  }

  current(): string | undefined {
    if (!existsSync(this.currentFile)) return undefined;
    return readFileSync(this.currentFile, 'utf8').trim() || undefined;
  }

  use(name: string): void {
    this.get(name);
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    writeFileSync(this.currentFile, `${name}\n`);
  }
}
