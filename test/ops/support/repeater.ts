import type { RepeaterSettings } from '../../../apps/repeater/src/config/repeater-environment';

export interface RunningRepeater {
  app: { close(): Promise<void> };
  port: number;
}
export type StartRepeater = (settings: RepeaterSettings) => Promise<RunningRepeater>;

/**
 * The repeater's `startRepeater`, loaded when a test needs it rather than at the top of a
 * file, so a repeater that cannot start (say, its uplink library is missing) fails the
 * repeater's tests with a clear message and leaves the hub's in the same file alone.
 */
export async function loadRepeater(): Promise<{ startRepeater: StartRepeater }> {
  try {
    return await import('../../../apps/repeater/src/repeater.bootstrap');
  } catch (error) {
    throw new Error(`the repeater cannot be loaded: ${(error as Error).message}`);
  }
}
