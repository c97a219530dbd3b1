import { SignJWT } from 'jose';

/** The HS256 secret the tests' hubs and repeaters are started with. */
export const TEST_JWT_SECRET = 'a-long-enough-hs256-secret-for-tests-0123456789';

export const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A JWT signed with TEST_JWT_SECRET; `expiresIn`/`notBefore` take jose's time spans ('5m', '-1m'). */
export function signTestJwt(
  claims: Record<string, unknown>,
  options: { expiresIn?: string | number; notBefore?: string; subject?: string } = {},
): Promise<string> {
  let builder = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setSubject(options.subject ?? 'test');
  if (options.expiresIn !== undefined) builder = builder.setExpirationTime(options.expiresIn);
  if (options.notBefore) builder = builder.setNotBefore(options.notBefore);
  return builder.sign(new TextEncoder().encode(TEST_JWT_SECRET));
}
