import { accessSync, constants } from 'node:fs';

/**
 * Global setup of the projects whose tests drive a browser: without Chromium the run stops before any test, with one
 * line that says what to install (not a stack trace per test).
 */
export default function requireChromium(): void {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    process.stderr.write(
      `\nThe dashboard browser tests need Chromium at ${path}: install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.\n`,
    );
    process.exit(1);
  }
}
