import { ecrService } from './ecr.ts';
import { EcrState, type EcrOptions } from './ecr-state.ts';
import { FaultQueue, type Faults } from './faults.ts';
import { startAwsServer, type AwsCall } from './server.ts';

/**
 * An AWS emulator for tests: the real JSON protocol over HTTP on 127.0.0.1, reached by the real SDK
 * clients through an endpoint override (`endpoint` option, or `AWS_ENDPOINT_URL_ECR` for a spawned
 * action). One per test; ECR today, ECS and CloudWatch Logs as new services beside it.
 */

export type { AwsCall } from './server.ts';
export type { FaultSpec, Faults } from './faults.ts';
export type { EcrImage, EcrOptions, EcrRepository, EcrState, RepositorySettings } from './ecr-state.ts';

export interface AwsEmulatorOptions {
  ecr?: EcrOptions;
}

export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: the endpoint of every emulated service. */
  endpoint: string;
  /** Every call received, in order, including those answered by a fault. */
  calls: AwsCall[];
  ecr: EcrState;
  faults: Faults;
  /**
   * Options for any SDK v3 client to reach the emulator: its endpoint, a region and static test
   * credentials (the emulator accepts any; the SDK only needs something to sign with).
   */
  clientConfig(): EmulatorClientConfig;
  /** The calls of one operation (`GetAuthorizationToken`). */
  callsTo(operation: string): AwsCall[];
  close(): Promise<void>;
}

export interface EmulatorClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const EMULATOR_REGION = 'eu-west-1';

export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const ecr = new EcrState(options.ecr);
  const faults = new FaultQueue();
  const calls: AwsCall[] = [];
  const service = await startAwsServer([ecrService(ecr)], faults, calls);
  return {
    endpoint: service.origin,
    calls,
    ecr,
    faults,
    clientConfig: () => ({
      endpoint: service.origin,
      region: EMULATOR_REGION,
      credentials: { accessKeyId: 'AKIAEMULATOR0000TEST', secretAccessKey: 'emulator-secret-access-key' },
    }),
    callsTo: (operation) => calls.filter((call) => call.operation === operation),
    close: () => service.close(),
  };
}
