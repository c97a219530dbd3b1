// Serves the room viewer page and the browser messenger next to it:
//   npm run example:browser        (builds the browser messenger, then serves on :8080)
// or, with the bundle built: node examples/browser-room-viewer/serve.js [port]
const { createServer } = require('node:http');
const { readFile } = require('node:fs/promises');
const { join } = require('node:path');
const { URL } = require('node:url');

const DEFAULT_BUNDLE = join(__dirname, '../../dist/examples/browser-room-viewer/messenger.mjs');

/** An HTTP server for the page (`/`) and the messenger module (`/messenger.mjs`). */
function roomViewerServer(bundlePath = DEFAULT_BUNDLE) {
  const files = {
    '/': [join(__dirname, 'index.html'), 'text/html; charset=utf-8'],
    '/messenger.mjs': [bundlePath, 'text/javascript; charset=utf-8'],
  };
  return createServer(async (request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://page').pathname];
    if (!file) return response.writeHead(404).end('not found\n');
    try {
      const body = await readFile(file[0]);
      response.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      response.writeHead(500).end(`${error.message}\n`);
    }
  });
}

module.exports = { roomViewerServer };

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080);
  roomViewerServer().listen(port, () =>
    console.log(`room viewer on http://localhost:${port}/?hub=localhost:7100&room=ITB-1101`),
  );
}
