import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsCipher } from '../../src/aws/kms.js';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * spec.encryption and spec.attachment through the real state machine: a secret encrypted with the
 * stack's key (the local KMS stand-in) fills the task definition's env value, and the plaintext
 * appears nowhere but there: not in history items, events, the execution's data, or any log line.
 */
const PLAINTEXT = 'hunter2-Pa55-9f3c';
const ENCRYPTION = (ciphertext: string) => `  encryption:
    encryptedSecrets:
      dbPassword: ${ciphertext}
    decryptionTargets:
      - taskdef.yaml
  attachment:
    sources:
      config: config/app.json
    targets:
      - taskdef.yaml
`;
const ENV = `    environment:
      - name: DB_PASSWORD
        value: "{{ .encryptedSecrets.dbPassword }}"
      - name: APP_CONFIG
        value: "{{ .attachment.config }}"
`;

describe('secrets and attachments in Git', () => {
  let h: StackHarness;
  const logged: string[] = [];
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    // Every log line of every function, at DEBUG, is kept to be searched for the plaintext.
    for (const stream of ['stdout', 'stderr'] as const) {
      process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        logged.push(String(chunk));
        return (writes[stream] as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof process.stdout.write;
    }
    h = await startStackHarness({ logger: createLogger('stepcd-local', { logLevel: 'DEBUG' }) });
  });
  afterAll(async () => {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    await h?.stop();
  });

  it('success: the decrypted secret and the attachment fill the registered task definition, and the plaintext leaks nowhere else', async () => {
    const cipher = createKmsCipher(h.stack.cloud.clientConfigs.ecs, h.stack.cloud.kms.alias);
    const ciphertext = await cipher.encrypt(PLAINTEXT);
    cipher.close();
    expect(ciphertext).not.toContain(PLAINTEXT);

    const files = await exampleFiles(['simple']);
    files['apps/simple/app.pipecd.yaml'] = `${files['apps/simple/app.pipecd.yaml']}${ENCRYPTION(ciphertext)}`;
    files['apps/simple/taskdef.yaml'] = files['apps/simple/taskdef.yaml']!.replace('    portMappings:', `${ENV}    portMappings:`);
    files['apps/simple/config/app.json'] = '{"featureX":true}';
    const { id, arn } = await h.deploy(files, 'simple with a secret');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    const ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
    const registered = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: record!.state!.taskDefinitionArn! }));
    ecs.destroy();
    expect(registered.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([
      { name: 'DB_PASSWORD', value: PLAINTEXT },
      { name: 'APP_CONFIG', value: '{"featureX":true}' },
    ]);
    // Only the stage function decrypted, once.
    const decrypts = h.stack.cloud.calls.calls.filter((c) => c.operation === 'Decrypt');
    expect(decrypts.map((c) => c.principal)).toEqual(['stage']);

    const dynamo = new DynamoDBClient(h.stack.cloud.clientConfigs.dynamodb);
    const items = await dynamo.send(new ScanCommand({ TableName: h.stack.cloud.tableName }));
    dynamo.destroy();
    expect(items.Items?.length).toBeGreaterThan(0);
    expect(JSON.stringify(items.Items)).not.toContain(PLAINTEXT);

    const events = h.stack.cloud.events.events;
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(PLAINTEXT);

    const sfn = new SFNClient(h.stack.cloud.clientConfigs.sfn);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    sfn.destroy();
    expect(`${execution.input}${execution.output}`).not.toContain(PLAINTEXT);

    expect(logged.some((line) => line.includes('registered task definition'))).toBe(true);
    expect(logged.join('')).not.toContain(PLAINTEXT);
  });

  it('fail: a ciphertext made under another key fails the deployment naming the secret, never its value', async () => {
    const foreign = Buffer.from('SCK1 not a blob of this stack').toString('base64');
    const files = await exampleFiles(['simple']);
    files['apps/simple/app.pipecd.yaml'] = `${files['apps/simple/app.pipecd.yaml']}${ENCRYPTION(foreign)}`;
    files['apps/simple/taskdef.yaml'] = files['apps/simple/taskdef.yaml']!.replace('    portMappings:', `${ENV}    portMappings:`).replace(
      'simple:1.0.0',
      'simple:1.0.1',
    );
    files['apps/simple/config/app.json'] = '{"featureX":false}';
    const { id, arn } = await h.deploy(files, 'simple with a bad secret');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
    expect(run.status).toBe('FAILED');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toContain('cannot decrypt spec.encryption.encryptedSecrets.dbPassword (InvalidCiphertextException)');
  });
});
