/** A valid event of the `service-event` profile, routed by its `name`. */
export const SERVICE_EVENT = {
  request_id: '9a1c',
  source: 'geofence-service',
  name: 'geofence:created',
  timestamp: '2026-11-23T04:30:00Z',
  payload: { member: 42 },
};
