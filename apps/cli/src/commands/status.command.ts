import { Command } from 'commander';
import { documentCommand } from '../command-request';
import { formatRepeaterStatus, formatStatus, isRepeaterStatus } from '../output';

/**
 * `ces status`: a readable summary of GET /status, or (`--json`) the document itself. It
 * works against a hub and against a repeater (`--hub http://repeater:7101`), whose
 * document has another shape: uplink, outside connections, targets.
 */
export function statusCommand(): Command {
  return documentCommand('status', {
    description: 'summarize /status of a hub (peers, rooms, links, drops) or of a repeater',
    json: 'print the /status document as JSON instead',
    path: '/status',
    summary: (body) => (isRepeaterStatus(body) ? formatRepeaterStatus(body) : formatStatus(body)),
  });
}
