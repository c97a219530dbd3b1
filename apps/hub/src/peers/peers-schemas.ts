import type { SchemaObject } from '@nestjs/swagger';
import { PEER_SCHEMA } from '@ces/server-kit';

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
