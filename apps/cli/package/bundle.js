// Runs webpack with webpack.config.js (webpack-cli is not a dependency: its Node API is enough).
const webpack = require('webpack');
const config = require('./webpack.config');

webpack(config, (error, stats) => {
  if (error) throw error;
  if (stats.hasErrors() || stats.hasWarnings())
    process.stderr.write(`${stats.toString({ preset: 'errors-warnings', colors: false })}\n`);
  if (stats.hasErrors()) process.exit(1);
});
