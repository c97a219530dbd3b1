import { SignJWT } from 'jose';
import { AuthError, TokenVerifier } from './token-verifier';

const SECRET = 'jwt-secret-of-at-least-32-bytes!!';
const verifier = new TokenVerifier({
  tokens: ['shared'],
  linkToken: 'link',
  jwtSecret: SECRET,
  jwtAudience: 'ces',
  jwtIssuer: 'auth.example.com',
});

function jwt(claims: Record<string, unknown>, exp: number | string = '1h'): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience('ces')
    .setIssuer('auth.example.com')
    .setExpirationTime(exp)
    .sign(Buffer.from(SECRET));
}

async function refusal(claims: Record<string, unknown>): Promise<string> {
  const error = await verifier.verify(await jwt(claims)).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).status).toBe(401);
  return (error as AuthError).message;
}

describe('TokenVerifier', () => {
  it('gives shared secrets every room and the operator right, the link token only that right (it administers the mesh)', async () => {
    const shared = await verifier.verify('shared');
    expect([...shared.kinds].sort()).toEqual(['messenger', 'repeater']);
    expect(shared.operator).toBe(true);
    expect(shared.maySubscribe).toBeUndefined();
    const link = await verifier.verify('link');
    expect([...link.kinds]).toEqual(['hub']);
    expect(link.operator).toBe(true);
  });

  it('reads the documented claims of a JWT', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const grants = await verifier.verify(
      await jwt(
        {
          kinds: ['messenger', 'repeater'],
          rooms: { subscribe: ['ITB-*'], publish: ['ITB-1101'] },
          operator: true,
          sub: 'panel',
        },
        exp,
      ),
    );
    expect([...grants.kinds]).toEqual(['messenger', 'repeater']);
    expect(grants.maySubscribe!('ITB-1')).toBe(true);
    expect(grants.maySubscribe!('JFSB-1')).toBe(false);
    expect(grants.mayPublish!('ITB-1101')).toBe(true);
    expect(grants.mayPublish!('ITB-1102')).toBe(false);
    expect(grants).toMatchObject({ operator: true, expiresAt: exp * 1000, subject: 'panel' });
  });

  it('defaults to a messenger on every room, without the operator right', async () => {
    const grants = await verifier.verify(await jwt({}));
    expect([...grants.kinds]).toEqual(['messenger']);
    expect(grants).toMatchObject({
      operator: false,
      maySubscribe: undefined,
      mayPublish: undefined,
    });
  });

  it('grants no room for an empty list', async () => {
    const grants = await verifier.verify(await jwt({ rooms: { subscribe: [] } }));
    expect(grants.maySubscribe!('A')).toBe(false);
    expect(grants.mayPublish).toBeUndefined();
  });

  it('refuses every claim that is not exactly the documented shape', async () => {
    const malformed: [Record<string, unknown>, string][] = [
      [{ rooms: { subscribe: 'ITB-*' } }, 'rooms.subscribe must be an array'],
      [{ rooms: { publish: { 0: 'A' } } }, 'rooms.publish must be an array'],
      [{ rooms: { subscribe: ['A', 5] } }, 'rooms.subscribe must hold non-empty strings'],
      [{ rooms: { subscribe: [''] } }, 'non-empty strings'],
      [{ rooms: { subscribe: ['x'.repeat(513)] } }, 'at most 512'],
      [{ rooms: { subscribe: ['A\nB'] } }, 'control characters'],
      [{ rooms: { subscribe: Array(1001).fill('A') } }, 'at most 1000 patterns'],
      [{ rooms: { subscribe: ['A'], listen: ['*'] } }, 'rooms may only have subscribe and publish'],
      [{ rooms: { ['__proto__']: ['*'] } }, 'rooms may only have'],
      [{ rooms: ['A'] }, 'rooms must be an object'],
      [{ rooms: 'ITB-*' }, 'rooms must be an object'],
      [{ rooms: null }, 'rooms must be an object'],
      [{ kinds: 'hub' }, 'kinds must be an array'],
      [{ kinds: ['messenger', 'spoke'] }, 'kinds may only list'],
      [{ kinds: [null] }, 'kinds may only list'],
      [{ operator: 'true' }, 'operator must be true or false'],
      [{ operator: 1 }, 'operator must be true or false'],
      [{ sub: 42 }, 'sub must be a string'],
    ];
    for (const [claims, reason] of malformed) {
      const message = await refusal(claims);
      expect(message).toContain('claims are not valid');
      expect(message).toContain(reason);
    }
  });

  it('refuses an expired token, and one for another audience or issuer', async () => {
    await expect(
      verifier.verify(await jwt({}, Math.floor(Date.now() / 1000) - 60)),
    ).rejects.toThrow(AuthError);
    const other = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('other-service')
      .setIssuer('auth.example.com')
      .sign(Buffer.from(SECRET));
    await expect(verifier.verify(other)).rejects.toMatchObject({ status: 401 });
  });
});
