// Bundles the browser messenger (libs/messenger/src/browser) into one ES module with
// webpack (already here with the Nest CLI): the core, the page's WebSocket, the Buffer-free
// frame codec. Usage: node scripts/build-browser-client.js <output directory>
const path = require('node:path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '..');
const outputDirectory = path.resolve(process.argv[2] ?? 'dist/libs/messenger/browser');

const config = {
  mode: 'production',
  target: ['web', 'es2022'],
  context: root,
  entry: path.join(root, 'libs/messenger/src/browser/index.ts'),
  experiments: { outputModule: true },
  output: {
    path: outputDirectory,
    filename: 'messenger.mjs',
    library: { type: 'module' },
    module: true,
  },
  resolve: {
    extensions: ['.ts', '.js'],
    alias: { '@ces/protocol$': path.join(root, 'libs/protocol/src') },
    // A Node module reached from the browser entry must fail the build, not be polyfilled.
    fallback: {},
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        options: {
          transpileOnly: true,
          configFile: path.join(root, 'libs/messenger/tsconfig.browser.json'),
        },
      },
      // The wire library's modules have no side effects: what the page does not use
      // (event DTOs and their validators) is left out.
      { include: path.join(root, 'libs/protocol/src'), sideEffects: false },
    ],
  },
  performance: { hints: false },
  devtool: false,
};

webpack(config, (error, stats) => {
  if (error) throw error;
  if (stats.hasErrors()) {
    console.error(stats.toString({ all: false, errors: true }));
    process.exit(1);
  }
  const asset = stats.toJson({ assets: true }).assets.find((a) => a.name === 'messenger.mjs');
  console.log(`browser messenger: ${path.join(outputDirectory, asset.name)} (${asset.size} bytes)`);
});
