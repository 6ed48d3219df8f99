#!/usr/bin/env node
/**
 * The `wardwatch-evidence` command: export, verify and audit evidence on a station data directory.
 * Ctrl-C cancels an export cleanly (no partial package is left).
 */
import { runEvidenceCli } from './evidence-cli.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

process.exitCode = await runEvidenceCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
