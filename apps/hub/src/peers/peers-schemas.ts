import type { SchemaObject } from '@nestjs/swagger';

/** One peer as `/peers` and `/status` describe it. */
export const PEER_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'Peer',
  properties: {
    id: { type: 'string', example: 'messenger-12' },
    kind: { type: 'string', enum: ['messenger', 'repeater', 'hub'] },
    remoteAddress: { type: 'string', example: '10.0.0.5:51234' },
    remoteHubId: { type: 'string' },
    name: { type: 'string' },
    rooms: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    connectedAt: { type: 'string', format: 'date-time' },
    eventsIn: { type: 'integer' },
    eventsOut: { type: 'integer' },
    dropped: { type: 'integer' },
    rejected: { type: 'integer' },
    bytesQueued: { type: 'integer' },
    unacked: { type: 'integer' },
  },
};

/** `GET /peers`: one page of a search. */
export const PEER_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'PeerPage',
  properties: {
    at: { type: 'integer', description: 'when it was taken, ms since the epoch' },
    total: { type: 'integer', description: 'peers connected' },
    matched: { type: 'integer', description: 'peers that match the search' },
    offset: { type: 'integer' },
    limit: { type: 'integer' },
    peers: { type: 'array', items: PEER_SCHEMA },
  },
};
