import { describe, expect, it } from 'vitest';
import { readStatus, RECENT_PER_APP, renderStatusPage } from '../../src/cli/status-page.js';
import type { DeploymentRecord } from '../../src/domain/deployment.js';

function record(id: string, app: string, status: DeploymentRecord['status']): DeploymentRecord {
  return {
    deploymentId: id,
    app: { name: app, dir: `apps/${app}`, labels: {} },
    commit: { sha: 'abcdef0123456789', message: 'change', author: 'dev' },
    trigger: { kind: 'push' },
    strategy: 'PIPELINE',
    status,
    stages: [],
    approvals: [],
    errors: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  } as unknown as DeploymentRecord;
}

describe('readStatus', () => {
  it('lists every app of the repository and every app with a deployment in progress, each with its last few', async () => {
    const asked: { app: string; limit?: number }[] = [];
    const running = record('d-run', 'web', 'WAITING_APPROVAL');
    const snapshot = await readStatus({
      history: {
        listActive: async () => [running],
        listByApp: async (app, opts) => {
          asked.push({ app, ...(opts?.limit !== undefined ? { limit: opts.limit } : {}) });
          return app === 'web' ? [running] : [];
        },
      },
      appNames: async () => ['api'],
      now: () => new Date('2026-01-02T00:00:00.000Z'),
    });
    expect(snapshot.apps.map((a) => a.name)).toEqual(['api', 'web']);
    expect(asked).toEqual([
      { app: 'api', limit: RECENT_PER_APP },
      { app: 'web', limit: RECENT_PER_APP },
    ]);
    expect(snapshot.active).toEqual([running]);
  });
});

describe('renderStatusPage', () => {
  it('shows deployments in progress, then each app with its recent deployments or "never deployed"', () => {
    const running = record('d-run', 'web', 'WAITING_APPROVAL');
    const text = renderStatusPage({
      at: '2026-01-02T00:00:00.000Z',
      active: [running],
      apps: [
        { name: 'api', recent: [] },
        { name: 'web', recent: [running, record('d-old', 'web', 'SUCCESS')] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'stepcd local: status at 2026-01-02T00:00:00.000Z',
      '',
      'in progress (1):',
      expect.stringMatching(/^ {2}DEPLOYMENT\s+APP\s+COMMIT\s+STRATEGY\s+STATUS/),
      expect.stringMatching(/^ {2}d-run\s+web\s+abcdef0\s+PIPELINE\s+WAITING_APPROVAL/),
      '',
      'api: never deployed',
      '',
      'web: last 2',
      expect.stringMatching(/^ {2}DEPLOYMENT/),
      expect.stringMatching(/^ {2}d-run\s+web/),
      expect.stringMatching(/^ {2}d-old\s+web\s+abcdef0\s+PIPELINE\s+SUCCESS/),
      '',
      'details: stepcd deployments show <id> --local; stepcd logs <id> --local',
      '',
    ]);
  });

  it('says how to get started when the repository has no app yet', () => {
    expect(renderStatusPage({ at: 'now', active: [], apps: [] })).toContain('no apps yet: commit an app.pipecd.yaml');
  });
});
