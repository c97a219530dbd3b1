import { existsSync } from 'node:fs';
import { checkAuditTarget, unknownSettings, validateEnvironment } from '@ces/server-kit';
import { loadSendMap } from '../egress/send-map';
import { RepeaterEnvironment } from './repeater-environment';

/** The words of every startup message of the repeater, and the settings that say where it listens. */
export const REPEATER_STARTUP = {
  app: 'repeater',
  portSetting: 'REPEATER_PORT',
  hostSetting: 'REPEATER_HOST',
};

const SEND_MAP = 'a JSON object of room → list of ws://, wss://, http:// or https:// targets';

/** The send map file must exist and hold a valid map: the repeater does not start without it. */
function checkSendMapFile(path: string): string | undefined {
  if (!path) return undefined;
  if (!existsSync(path))
    return `the path of a readable file holding ${SEND_MAP}; there is no such file`;
  return sendMapProblem(() => loadSendMap(path, ''), 'a readable file holding');
}

function checkInlineSendMap(inline: string): string | undefined {
  return inline ? sendMapProblem(() => loadSendMap('', inline), '') : undefined;
}

function sendMapProblem(load: () => unknown, what: string): string | undefined {
  try {
    load();
    return undefined;
  } catch (error) {
    // The loader names its source first ("send map file x: …"); the setting says that already.
    const reason = (error as Error).message.replace(
      /^(send map file \S+|REPEATER_SEND_MAP):? /,
      '',
    );
    return `${what ? `${what} ` : ''}${SEND_MAP}; ${reason}`;
  }
}

/** The repeater's settings from `raw` (environment over .env), or a ConfigurationError. */
export function validateRepeaterEnvironment(raw: Record<string, unknown>): RepeaterEnvironment {
  return validateEnvironment(RepeaterEnvironment, raw, {
    checks: {
      REPEATER_SEND_MAP_PATH: checkSendMapFile,
      REPEATER_SEND_MAP: checkInlineSendMap,
      REPEATER_AUDIT: checkAuditTarget,
    },
  });
}

/** `REPEATER_*` variables that are not settings of the repeater, each with the closest known name. */
export function unknownRepeaterSettings(raw: Record<string, unknown>): string[] {
  return unknownSettings(RepeaterEnvironment, raw, 'REPEATER_', 'repeater');
}
