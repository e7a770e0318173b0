import { ECRClient, type ECRClientConfig } from '@aws-sdk/client-ecr';
import { startAwsEmulator, type AwsEmulator, type AwsEmulatorOptions } from './aws-emulator/index.ts';

/** What the ECR emulator tests share: one emulator and the real ECRClient on it. */

export const ACCOUNT = '123456789012';
export let emulator: AwsEmulator;
export let client: ECRClient;

export async function start(options: AwsEmulatorOptions = {}, config: ECRClientConfig = {}): Promise<void> {
  emulator = await startAwsEmulator(options);
  client = new ECRClient({ ...emulator.clientConfig(), ...config });
}

/** Closes what `start` opened: call it from each file's afterEach. */
export async function stop(): Promise<void> {
  client.destroy();
  await emulator.close();
}

/** The SDK's error for a failed call: its name is the error type the emulator sent. */
export async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata: { httpStatusCode?: number; attempts?: number } }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the call succeeded');
  return error as Error & { $metadata: { httpStatusCode?: number; attempts?: number } };
}
