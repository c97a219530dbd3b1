// The ces CLI as one self-contained file, for `npm install -g ces-cli-<version>.tgz` on a
// machine without this repository: every dependency bundled, none to install.
const { join, resolve } = require('node:path');
const webpack = require('webpack');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

const root = resolve(__dirname, '..', '..', '..');
const tsconfig = join(root, 'apps', 'cli', 'tsconfig.app.json');

// Modules some dependencies load only when present: ws's native speed-ups, Nest's optional
// packages. Left out; their `require` fails as it does when they are not installed.
const OPTIONAL = [
  'bufferutil',
  'utf-8-validate',
  '@nestjs/microservices',
  '@nestjs/microservices/microservices-module',
  '@nestjs/websockets/socket-module',
  '@nestjs/platform-express',
  '@nestjs/typeorm',
  '@nestjs/mongoose',
  '@nestjs/sequelize',
  '@mikro-orm/core',
  '@prisma/client',
  '@grpc/grpc-js',
  '@nestjs/axios',
  'class-transformer/storage',
];

module.exports = {
  mode: 'production',
  target: 'node20',
  entry: join(root, 'apps', 'cli', 'src', 'main.ts'),
  output: {
    path: join(root, 'dist', 'cli-package'),
    filename: 'ces.js',
  },
  devtool: false,
  externalsPresets: { node: true },
  externals: [
    ({ request }, callback) =>
      OPTIONAL.some((name) => request === name || request.startsWith(`${name}/`))
        ? callback(null, `commonjs ${request}`)
        : callback(),
  ],
  module: {
    rules: [
      // Declarations a dynamic require of @nestjs/terminus reaches: kept as text, never run.
      { test: /\.d\.ts$/, include: /node_modules/, type: 'asset/source' },
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile: tsconfig } }],
      },
    ],
  },
  resolve: {
    extensions: ['.ts', '.js'],
    plugins: [new TsconfigPathsPlugin({ configFile: tsconfig })],
  },
  optimization: { minimize: false, nodeEnv: false },
  node: { __dirname: false, __filename: false },
  plugins: [
    new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true }),
    // A dynamic require in @nestjs/terminus would pull in type declarations and source maps.
    new webpack.IgnorePlugin({ resourceRegExp: /\.(d\.ts|map)$/ }),
  ],
  performance: { hints: false },
  stats: 'errors-warnings',
  ignoreWarnings: [/Critical dependency/, /Can't resolve/],
};
