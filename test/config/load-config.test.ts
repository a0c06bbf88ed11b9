import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { ErrorName } from '../../src/errors.js';

const BASE = { STEPCD_TABLE: 'stepcd', STEPCD_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:deploy', STEPCD_GITHUB_REPOS: 'acme/deploys' };

describe('loadConfig: GitHub App settings', () => {
  it('success: no App settings means token authentication', () => {
    expect(loadConfig(BASE).github.app).toBeUndefined();
  });

  it('success: both settings configure the App installation', () => {
    const config = loadConfig({ ...BASE, STEPCD_GITHUB_APP_ID: '123', STEPCD_GITHUB_APP_INSTALLATION_ID: '456' });

    expect(config.github.app).toEqual({ appId: '123', installationId: '456' });
  });

  it.each([
    ['only the app id', { STEPCD_GITHUB_APP_ID: '123' }],
    ['only the installation id', { STEPCD_GITHUB_APP_INSTALLATION_ID: '456' }],
  ])('fail: %s refuses to start, naming both settings', (_name, extra) => {
    const load = () => loadConfig({ ...BASE, ...extra });

    expect(load).toThrow(
      expect.objectContaining({ name: ErrorName.Config, message: expect.stringMatching(/STEPCD_GITHUB_APP_ID.*STEPCD_GITHUB_APP_INSTALLATION_ID/) }),
    );
  });
});

describe('loadConfig: the queue backstop', () => {
  it.each([
    ['success: unset is 900 s (12 transitions an hour of queueing)', undefined, 900],
    ['success: a whole number of seconds is taken', '120', 120],
  ])('%s', (_name, value, expected) => {
    expect(loadConfig({ ...BASE, ...(value ? { STEPCD_QUEUE_BACKSTOP_SECONDS: value } : {}) }).queueBackstopSeconds).toBe(expected);
  });

  it.each([['0'], ['1.5'], ['soon']])('fail: %s is refused at load, naming the setting', (value) => {
    expect(() => loadConfig({ ...BASE, STEPCD_QUEUE_BACKSTOP_SECONDS: value })).toThrow(/STEPCD_QUEUE_BACKSTOP_SECONDS/);
  });
});
