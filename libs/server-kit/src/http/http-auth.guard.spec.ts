import { ALL_KINDS, PeerGrants } from '../peer-grants';
import { refusalFor } from './http-auth.guard';
import { isJsonContentType } from './json-bodies';

const grants = (extra: Partial<PeerGrants> = {}): PeerGrants => ({
  kinds: new Set(['messenger']),
  operator: false,
  ...extra,
});

describe('refusalFor', () => {
  it('lets any valid token through a client route', () => {
    expect(refusalFor({ routeClass: 'client' }, grants())).toBeUndefined();
  });

  it('lets only an operator token through an operator route', () => {
    expect(refusalFor({ routeClass: 'operator' }, grants())).toBe(
      'this endpoint needs an operator token',
    );
    expect(refusalFor({ routeClass: 'operator' }, grants({ operator: false }))).toBeDefined();
    expect(refusalFor({ routeClass: 'operator' }, grants({ operator: true }))).toBeUndefined();
  });

  it('asks for the named kind on a route that names one, operator or not', () => {
    const route = { routeClass: 'operator', kind: 'hub' } as const;
    expect(refusalFor(route, grants({ operator: true }))).toContain('connect as hub');
    expect(refusalFor(route, grants({ kinds: ALL_KINDS }))).toBeUndefined();
  });
});

describe('isJsonContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])(
    'takes %s',
    (type) => expect(isJsonContentType(type)).toBe(true),
  );

  it.each([
    undefined,
    '',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/plain',
    'application/jsonp',
  ])('refuses %s', (type) => expect(isJsonContentType(type)).toBe(false));
});
