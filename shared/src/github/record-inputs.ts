import { getBoolean, getOptionalString, invalidInput } from '../runner/inputs.ts';

/**
 * The inputs every action that records deployments declares, read and checked the same way:
 * `github-token` (default `${{ github.token }}`, masked), `environment`, `environment-url`,
 * `record-deployment` (default true), `production-environment` and `transient-environment`
 * (sent only when given). Part of each action's inputs.ts, so they are checked before anything.
 */
export interface RecordInputs {
  token: string;
  environment: string | undefined;
  environmentUrl: string | undefined;
  recordDeployment: boolean;
  productionEnvironment: boolean | undefined;
  transientEnvironment: boolean | undefined;
}

/** GitHub's limit on environment names. */
const MAX_ENVIRONMENT_CHARS = 255;

export function readRecordInputs(): RecordInputs {
  return {
    token: getOptionalString('github-token', { secret: true }) ?? '',
    environment: readEnvironment(),
    environmentUrl: readEnvironmentUrl(),
    recordDeployment: getBoolean('record-deployment', true),
    productionEnvironment: getOptionalBoolean('production-environment'),
    transientEnvironment: getOptionalBoolean('transient-environment'),
  };
}

function readEnvironment(): string | undefined {
  const environment = getOptionalString('environment');
  if (
    environment !== undefined &&
    (environment.length > MAX_ENVIRONMENT_CHARS || [...environment].some((char) => char.charCodeAt(0) < 0x20))
  ) {
    throw invalidInput(
      'environment',
      environment,
      `expected a GitHub environment name of at most ${MAX_ENVIRONMENT_CHARS} printable characters`,
    );
  }
  return environment;
}

function readEnvironmentUrl(): string | undefined {
  const text = getOptionalString('environment-url');
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidInput(
      'environment-url',
      text,
      'expected an http or https URL, like https://shop.example.com',
    );
  }
  return text;
}

function getOptionalBoolean(name: string): boolean | undefined {
  return getOptionalString(name) === undefined ? undefined : getBoolean(name, false);
}
