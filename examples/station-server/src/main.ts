/**
 * `pnpm station --config station.json`: the station server against real cameras.
 *
 * - `--config FILE` (required): the station config, validated with clear errors.
 * - `--create-user --username NAME --role ROLE [--owner OWNER]`: creates a user (the password is read
 *   from the `WARDWATCH_PASSWORD` environment variable, or generated and printed) and exits.
 * - `--check`: validates the config and exits.
 *
 * There is no default password: a station without users refuses to start and says how to create one.
 * Logs are JSON lines (pino) on stdout; `LOG_LEVEL` sets the level (default `info`).
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { isWardwatchError, type Logger } from '@wardwatch/core';
import { pino } from 'pino';
import { randomPassword } from './auth/random-password.js';
import { ROLES, type Role } from './auth/roles.js';
import { createUserStore } from './auth/user-store.js';
import { loadStationConfig } from './config/station-config.js';
import { buildDashboard } from './runtime/build-dashboard.js';
import { parseArgs } from './runtime/parse-args.js';
import { dataPaths, startStationRuntime } from './runtime/start-station-runtime.js';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    config: 'string',
    'create-user': 'boolean',
    username: 'string',
    role: 'string',
    owner: 'string',
    check: 'boolean',
  });
  if (typeof args['config'] !== 'string') {
    process.stderr.write('Usage: pnpm station --config station.json [--check] [--create-user --username NAME --role ROLE [--owner OWNER]]\n');
    return 2;
  }
  // Under `pnpm station` the process runs in this package's folder; paths are meant from where the user typed.
  const configPath = resolve(process.env['INIT_CWD'] ?? process.cwd(), args['config']);
  const config = await loadStationConfig(configPath);
  if (args['check']) {
    say(`Config OK: ${config.station.name}, ${config.cameras.length} cameras, data in ${config.dataDir}`);
    return 0;
  }
  const users = createUserStore({ path: dataPaths(config.dataDir).users });
  if (args['create-user']) {
    const username = args['username'];
    const role = args['role'] as Role;
    if (typeof username !== 'string' || !ROLES.includes(role)) {
      process.stderr.write(`--create-user needs --username NAME and --role (${ROLES.join(' | ')})\n`);
      return 2;
    }
    let password = process.env['WARDWATCH_PASSWORD'];
    let generated = false;
    if (!password && process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      password = (await rl.question('Password (empty = generate one): ')).trim();
      rl.close();
    }
    if (!password) {
      password = randomPassword();
      generated = true;
    }
    const user = await users.create({ username, password, role, ...(typeof args['owner'] === 'string' ? { owner: args['owner'] } : {}) });
    say(`Created ${user.role} ${user.username}${generated ? ` with password ${password}` : ''}`);
    return 0;
  }
  if ((await users.count()) === 0) {
    process.stderr.write(
      `No users yet: there is no default password. Create an admin first:\n  pnpm station --config ${args['config']} --create-user --username admin --role admin\n`,
    );
    return 2;
  }
  const webRoot = await buildDashboard({ log: say });
  const level = process.env['LOG_LEVEL'] ?? 'info';
  const logger = pino({ level, name: 'station' }) as unknown as Logger;
  const runtime = await startStationRuntime({ config, webRoot, logger, httpLogger: { level } });
  say(`WardWatch station "${config.station.name}" on ${runtime.url} (${config.cameras.length} configured cameras)`);
  if (runtime.liveProblem) say(`Live view unavailable: ${runtime.liveProblem}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      say(`${signal}: stopping…`);
      void runtime.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  say('Stopped cleanly.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isWardwatchError(error)) process.stderr.write(`${error.code}: ${error.message}\n`);
    else process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
