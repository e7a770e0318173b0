import type * as CodeDeployModule from '@aws-sdk/client-codedeploy';
import { awsClientConfig, awsErrorName } from '../aws.ts';

/**
 * The CodeDeploy SDK, loaded with `import()` only for a CODE_DEPLOY service (the bundler keeps it in
 * a chunk of its own, so a plain ECS deploy never reads it), and two clients: `client` for reads,
 * which the SDK and `codeDeployCall` retry, and `writer` with a single SDK attempt for
 * CreateDeployment, ContinueDeployment and StopDeployment, which are not idempotent: the SDK's
 * standard mode would otherwise repeat them blindly after a 5xx or a dropped connection.
 */

export type CodeDeploySdk = typeof CodeDeployModule;
type Client = InstanceType<CodeDeploySdk['CodeDeployClient']>;

export interface CodeDeploy {
  sdk: CodeDeploySdk;
  client: Client;
  writer: Client;
  region: string;
  destroy(): void;
}

export async function createCodeDeploy(region: string | undefined): Promise<CodeDeploy> {
  const sdk = await import('@aws-sdk/client-codedeploy');
  const config = awsClientConfig({ region });
  const client = new sdk.CodeDeployClient(config);
  const writer = new sdk.CodeDeployClient({ ...config, maxAttempts: 1 });
  return {
    sdk,
    client,
    writer,
    region: config.region,
    destroy: () => {
      client.destroy();
      writer.destroy();
    },
  };
}

/**
 * CodeDeploy's errors and throttling are those of every AWS JSON API, so its calls go through ECS's
 * wrapper: the error named by its operation, reads retried on throttling and server errors, writes
 * (with `classify: classifyThrottling`) only when throttled.
 */
export { ecsCall as codeDeployCall, classifyThrottling } from '../ecs/client.ts';

/** The AWS error code behind an ActionError from codeDeployCall (`DeploymentAlreadyCompletedException`). */
export function errorCode(error: unknown): string | undefined {
  return awsErrorName((error as { cause?: unknown }).cause);
}
