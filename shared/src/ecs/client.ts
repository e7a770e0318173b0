import type * as EcsModule from '@aws-sdk/client-ecs';
import { awsActionError, awsClientConfig, type AwsClientConfig } from '../aws.ts';

/**
 * The ECS SDK, loaded on demand so an action pays for it only when it talks to ECS, and one client
 * configured by the core's AWS settings (region, endpoint override, standard retries, timeouts).
 */

export type EcsSdk = typeof EcsModule;
export type EcsClient = InstanceType<EcsSdk['ECSClient']>;

export interface Ecs {
  sdk: EcsSdk;
  client: EcsClient;
  config: AwsClientConfig;
}

export async function createEcs(region: string | undefined): Promise<Ecs> {
  const sdk = await import('@aws-sdk/client-ecs');
  const config = awsClientConfig({ region });
  return { sdk, client: new sdk.ECSClient(config), config };
}

/** One ECS call, its SDK error turned into the one-line ActionError that names the operation. */
export async function ecsCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw awsActionError(operation, error);
  }
}
