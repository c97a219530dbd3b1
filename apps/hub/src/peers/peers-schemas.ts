import type { SchemaObject } from '@nestjs/swagger';
import { integerProperties, PEER_SCHEMA } from '@ces/server-kit';

/** `GET /peers`: one page of a search. */
export const PEER_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'PeerPage',
  properties: {
    at: { type: 'integer', description: 'when it was taken, ms since the epoch' },
    total: { type: 'integer', description: 'peers connected' },
    matched: { type: 'integer', description: 'peers that match the search' },
    ...integerProperties('offset', 'limit'),
    peers: { type: 'array', items: PEER_SCHEMA },
  },
};
