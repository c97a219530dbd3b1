import type { SchemaObject } from '@nestjs/swagger';
import { appStatusSchema, integerProperties, TALLY_SCHEMA as tally } from '@ces/server-kit';

export { eventBodySchema, INVALID_EVENT_SCHEMA } from '@ces/server-kit';

/** The repeater's /status document (also what `dashboard/stream` sends). */
export const REPEATER_STATUS_SCHEMA: SchemaObject = appStatusSchema(
  'RepeaterStatus',
  'repeaterId',
  {
    uplink: {
      type: 'object',
      description: 'the hub URL, the uplink state and its counters',
      properties: { hubUrl: { type: 'string' }, state: { type: 'string', example: 'open' } },
      additionalProperties: true,
    },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          room: { type: 'string', nullable: true },
          remoteAddress: { type: 'string' },
          connectedAt: { type: 'string', format: 'date-time' },
          ...integerProperties('idleMs', 'eventsIn', 'eventsOut', 'rejected'),
        },
      },
    },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          address: { type: 'string' },
          kind: { type: 'string', enum: ['ws', 'http'] },
          state: { type: 'string' },
          ...integerProperties('queued', 'sent', 'failed', 'dropped'),
          lastError: { type: 'string', description: 'the last failure' },
          lastErrorAt: { type: 'string', format: 'date-time', description: 'when it happened' },
        },
      },
    },
    totals: {
      type: 'object',
      properties: {
        events: tally,
        rejected: {
          ...tally,
          description: 'everything refused, websocket frames and HTTP requests',
        },
        refused: { ...tally, description: 'the HTTP requests refused (upgrades included)' },
        dropped: tally,
        disconnected: tally,
      },
    },
  },
);
