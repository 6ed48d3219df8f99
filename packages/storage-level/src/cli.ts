#!/usr/bin/env node
import { runStorageCli } from './run-storage-cli.js';

process.exitCode = await runStorageCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
