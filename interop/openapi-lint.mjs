// Lints an OpenAPI document with Redocly's CLI (recommended rules). Telemetry and the update check
// are switched off: tests may reach loopback addresses only.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--format', 'stylish',
  process.argv[2]], {
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
  encoding: 'utf8',
});
process.stdout.write((result.stdout ?? '') + (result.stderr ?? ''));
process.exit(result.status ?? 1);
