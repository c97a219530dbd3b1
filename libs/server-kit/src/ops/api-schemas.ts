import type { SchemaObject } from '@nestjs/swagger';

// OpenAPI schemas for /docs. The event shapes are defined by libs/protocol (V2EventDto,
// ServiceEventDto, validated with class-validator); they are described here rather than
// with swagger decorators in the protocol library. The repeater uses these too.

const roomInfo: SchemaObject = {
  type: 'object',
  properties: {
    buildingID: { type: 'string', example: 'ITB' },
    roomID: { type: 'string', example: 'ITB-1101', description: 'the routing tag' },
  },
};

/** The original system's v2 event (`V2EventDto`); other fields are kept as they are. */
export const V2_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'V2Event',
  additionalProperties: true,
  required: ['affected-room'],
  properties: {
    'generating-system': { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    'event-tags': { type: 'array', items: { type: 'string' } },
    'target-device': {
      ...roomInfo,
      properties: { ...roomInfo.properties, deviceID: { type: 'string', example: 'ITB-1101-CP1' } },
    },
    'affected-room': { ...roomInfo, required: ['roomID'] },
    key: { type: 'string', example: 'power' },
    value: { type: 'string', example: 'on' },
    user: { type: 'string' },
    data: { description: 'any JSON' },
  },
  example: {
    key: 'power',
    value: 'on',
    'affected-room': { buildingID: 'ITB', roomID: 'ITB-1101' },
  },
};

/** A service event (`ServiceEventDto`), routed by its `name`. */
export const SERVICE_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'ServiceEvent',
  additionalProperties: true,
  required: ['request_id', 'source', 'name', 'timestamp', 'payload'],
  properties: {
    request_id: { type: 'string' },
    source: { type: 'string', example: 'billing' },
    name: {
      type: 'string',
      example: 'invoice:sent',
      description: 'noun:verb, the verb in the past tense; the routing tag',
    },
    timestamp: { type: 'string', format: 'date-time' },
    payload: { description: 'any JSON' },
  },
};

/** An event as `POST /event` takes it: which shape depends on the app's event profile setting. */
export function eventBodySchema(profileSetting: string): SchemaObject {
  return {
    oneOf: [V2_EVENT_SCHEMA, SERVICE_EVENT_SCHEMA],
    description: `A v2 event (the default) or, with ${profileSetting}=service-event, a service event.`,
  };
}

/** 400 answers for an event that does not validate. */
export const INVALID_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: { type: 'string', example: 'invalid v2 event' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', example: 'affected-room.roomID' },
          errors: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

/** Nest's error answer. */
export const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    message: { type: 'string' },
    error: { type: 'string' },
  },
};

/** Properties that are all whole numbers (counters, sizes), by name. */
export function integerProperties(...names: string[]): Record<string, SchemaObject> {
  return Object.fromEntries(names.map((name) => [name, { type: 'integer' }]));
}

/** One hub link (`LinkView`). */
export const LINK_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'Link',
  required: ['address', 'direction', 'state', 'since', 'eventsIn', 'eventsOut'],
  properties: {
    address: { type: 'string', example: 'hub-b.example.com:7100' },
    url: { type: 'string', example: 'ws://hub-b.example.com:7100/connect/hub' },
    direction: { type: 'string', enum: ['in', 'out'] },
    remoteHubId: { type: 'string' },
    state: {
      type: 'string',
      enum: ['connecting', 'open', 'reconnecting', 'standby', 'refused', 'closed'],
    },
    since: { type: 'string', format: 'date-time' },
    ...integerProperties('eventsIn', 'eventsOut'),
    lastError: { type: 'string' },
    origin: {
      type: 'string',
      enum: ['operator', 'mesh'],
      description: 'made by an operator (POST /interconnect, HUB_PEERS) or learned from the mesh',
    },
    advertises: { type: 'string', description: 'where the other hub says it may be dialed' },
    dropped: {
      type: 'object',
      description: 'events the link did not carry',
      properties: integerProperties('tooLarge', 'slowConsumer'),
    },
    warning: { type: 'string', description: 'e.g. an original Go hub linked both ways' },
    interest: {
      type: 'object',
      description: 'what the hub behind an open link of ours wants (rooms with subscribers)',
      properties: {
        known: { type: 'boolean' },
        everything: { type: 'boolean' },
        ...integerProperties('rooms', 'eventsSkipped'),
      },
    },
  },
};

/** Counts by name (`{"slow-consumer": 3}`). */
export const TALLY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'integer' },
};
const tally = TALLY_SCHEMA;

/** An app's /status document: its id (`idField`), when it started, and its own parts. */
export function appStatusSchema(
  title: string,
  idField: string,
  properties: Record<string, SchemaObject>,
): SchemaObject {
  return {
    type: 'object',
    title,
    properties: {
      [idField]: { type: 'string' },
      startedAt: { type: 'string', format: 'date-time' },
      uptimeSeconds: { type: 'integer' },
      ...properties,
    },
  };
}

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
    ...integerProperties('eventsIn', 'eventsOut', 'dropped', 'rejected', 'bytesQueued', 'unacked'),
  },
};

/** The hub's /status document. */
export const HUB_STATUS_SCHEMA: SchemaObject = appStatusSchema('HubStatus', 'hubId', {
  version: { type: 'string' },
  peers: {
    type: 'object',
    description: 'the connected peers by kind',
    properties: {
      messengers: { type: 'array', items: PEER_SCHEMA },
      repeaters: { type: 'array', items: PEER_SCHEMA },
      hubs: { type: 'array', items: PEER_SCHEMA },
    },
  },
  peerCounts: {
    type: 'object',
    description: 'how many peers of each kind are connected',
    properties: integerProperties('messenger', 'repeater', 'hub'),
  },
  rooms: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { subscribers: { type: 'integer' }, groups: { type: 'integer' } },
    },
  },
  groups: { type: 'object', additionalProperties: { type: 'object' } },
  links: { type: 'array', items: LINK_SCHEMA },
  backlogs: tally,
  totals: {
    type: 'object',
    properties: {
      eventsIn: tally,
      eventsOut: tally,
      dropped: tally,
      rejected: {
        ...tally,
        description: 'everything refused, websocket frames and HTTP requests',
      },
      refused: { ...tally, description: 'the HTTP requests refused (upgrades included)' },
      groups: tally,
      disconnected: { ...tally, description: 'peers the hub closed on purpose, by why' },
    },
  },
});

/** A terminus health answer. */
export const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] },
    info: { type: 'object' },
    error: { type: 'object' },
    details: { type: 'object' },
  },
};
