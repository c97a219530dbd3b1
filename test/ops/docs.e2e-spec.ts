import { startHub, TestHub } from '../support/hub-harness';
import { Json } from '../support/http';
import { loadRepeater, RunningRepeater } from './support/repeater';

const docsOf = async (httpUrl: string): Promise<Json> => {
  const response = await fetch(`${httpUrl}/docs-json`);
  expect(response.status).toBe(200);
  return response.json();
};

/** `{ '/status': ['get'], … }` of an OpenAPI document. */
const operations = (docs: Json): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(docs.paths as Record<string, object>).map(([path, item]) => [
      path,
      Object.keys(item).sort(),
    ]),
  );

/** The endpoints of the server kit and of event intake, which both apps have. */
const SHARED_OPERATIONS = {
  '/': ['get'],
  '/dashboard/history': ['get'],
  '/dashboard/stream': ['get'],
  '/event': ['post'],
  '/health': ['get'],
  '/health/live': ['get'],
  '/health/ready': ['get'],
  '/metrics': ['get'],
  '/status': ['get'],
};

describe('API docs', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const hub = async (settings = {}): Promise<TestHub> => {
    const started = await startHub(settings);
    closers.push(() => started.close());
    return started;
  };

  it('lists every endpoint of the hub, with the event body and the link schema', async () => {
    const { httpUrl } = await hub();
    const docs = await docsOf(httpUrl);
    expect(docs.info.title).toBe('CES hub');
    expect(operations(docs)).toEqual({
      ...SHARED_OPERATIONS,
      '/interconnect': ['get'],
      '/interconnect/{address}': ['delete', 'post'],
      '/peers': ['get'],
      '/peers/{id}': ['delete'],
    });
    const publish = docs.paths['/event'].post;
    const body = publish.requestBody.content['application/json'].schema;
    expect(body.oneOf.map((schema: Json) => schema.title)).toEqual(['V2Event', 'ServiceEvent']);
    expect(Object.keys(publish.responses).sort()).toEqual(['202', '400', '401', '403', '429']);
    const link = docs.paths['/interconnect/{address}'].post;
    expect(link.parameters).toEqual([expect.objectContaining({ name: 'address', in: 'path' })]);
    expect(link.responses['201'].content['application/json'].schema.title).toBe('Link');
    expect(docs.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
  });

  it('serves the docs without a token when the hub requires one', async () => {
    const { httpUrl } = await hub({ HUB_AUTH_TOKENS: 'secret' });
    expect((await fetch(`${httpUrl}/status`)).status).toBe(401);
    expect((await docsOf(httpUrl)).paths['/status']).toBeDefined();
    const page = await fetch(`${httpUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('lists every endpoint of the repeater', async () => {
    const { startRepeater } = await loadRepeater();
    const { url } = await hub();
    const repeater: RunningRepeater = await startRepeater({
      REPEATER_HOST: '127.0.0.1',
      REPEATER_PORT: 0,
      REPEATER_HUB_URL: url,
      LOG_LEVEL: 'error',
    });
    closers.push(() => repeater.app.close());
    const docs = await docsOf(`http://127.0.0.1:${repeater.port}`);
    expect(docs.info.title).toBe('CES repeater');
    expect(operations(docs)).toEqual({ ...SHARED_OPERATIONS, '/send': ['post'] });
    const body = docs.paths['/send'].post.requestBody.content['application/json'].schema;
    expect(body.oneOf.map((schema: Json) => schema.title)).toEqual(['V2Event', 'ServiceEvent']);
  });
});
