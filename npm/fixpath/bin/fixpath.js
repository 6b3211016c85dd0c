#!/usr/bin/env node
// `fixpath` from npm: runs the native binary of the platform package that npm installed
// beside this one (`@fixpath/<os>-<cpu>`, chosen by its `os` and `cpu` fields), the way
// Pagefind's npm package does. FIXPATH_BINARY points at another binary instead.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

function binaryPath() {
  if (process.env.FIXPATH_BINARY) return process.env.FIXPATH_BINARY;
  const platform = `${process.platform}-${process.arch}`;
  const pkg = `@fixpath/${platform}`;
  const exe = process.platform === 'win32' ? 'fixpath.exe' : 'fixpath';
  try {
    return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', exe);
  } catch {
    console.error(
      `fixpath: there is no binary for ${platform} here: the package ${pkg} is not installed. ` +
        'npm skips it on other platforms and with --omit=optional; install it, or set ' +
        'FIXPATH_BINARY to a fixpath binary (release archives have one).',
    );
    process.exit(2);
  }
}

const binary = binaryPath();
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`fixpath: could not run ${binary}: ${result.error.message}`);
  process.exit(2);
}
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
