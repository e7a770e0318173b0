import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNoSecretLeaks } from '../../support/leak-check.ts';
import { listTags, startRegistry, type Registry } from '../../support/registry.ts';
import {
  buildPush,
  createSandbox,
  errors,
  expectNothingBuilt,
  expectOutcome,
  type Sandbox,
} from './helpers.ts';

/**
 * Bad inputs through the committed bundle: each fails the step with one error annotation naming the
 * input, before anything is logged in to, built or pushed. (The full table of malformed values is in
 * test/build-push/inputs.test.ts; these show the runner's view of a few.)
 */

const CI = { username: 'ci', password: 'inputs-pass-Gm47tb' };
const BUILD_SECRET = 'inputs-build-secret-Lx90';

let sandbox: Sandbox;
let registry: Registry;

beforeAll(async () => {
  sandbox = createSandbox();
  registry = await startRegistry({ users: { [CI.username]: CI.password } });
});

afterAll(async () => {
  await registry?.close();
  sandbox?.remove();
});

interface BadInput {
  name: string;
  inputs: Record<string, string>;
  /** What the error annotation says, after "Invalid configuration: ". */
  error: RegExp;
  env?: Record<string, string>;
}

const CASES: BadInput[] = [
  {
    name: 'an image name with an empty path component',
    inputs: { images: 'REGISTRY/team//app' },
    error: /^Input "images" has an invalid value "REGISTRY\/team\/\/app": the path has an empty component/,
  },
  {
    name: 'an image name with a tag',
    inputs: { images: 'REGISTRY/team/app:v1' },
    error: /^Input "images" has an invalid value "REGISTRY\/team\/app:v1": an image name has no tag here/,
  },
  {
    name: 'a registry port out of range',
    inputs: { images: '127.0.0.1:70000/team/app' },
    error: /^Input "images" has an invalid value "127\.0\.0\.1:70000\/team\/app": .*invalid port/,
  },
  {
    name: 'an unknown tag rule type',
    inputs: { tags: 'type=sha\ntype=nightly,value=x' },
    error: /^Input "tags", rule "type=nightly,value=x": unknown type "nightly" \(accepted: .*semver.*\)/,
  },
  {
    name: 'a semver pattern with an unknown expression',
    inputs: { tags: 'type=semver,pattern={{build}}' },
    error:
      /^Input "tags", rule "type=semver,pattern=\{\{build\}\}": .*"\{\{build\}\}" is not a known expression/,
  },
  {
    name: 'a secret without a value',
    inputs: { secrets: `token=${BUILD_SECRET}\nnpmrc=` },
    error: /^Input "secrets": the secret "npmrc" has no value .*Hint: an unset repository secret/,
  },
  {
    name: 'an unknown builder',
    inputs: { builder: 'kaniko' },
    error: /^Input "builder" has an invalid value "kaniko": expected one of docker, buildah/,
  },
  {
    name: 'load with buildah',
    inputs: { load: 'true' },
    error: /^Input "load" has an invalid value "true": load is for the docker builder/,
  },
  {
    name: 'a password without a user name',
    inputs: { username: '' },
    error: /^Input "password" is set but "username" is not/,
  },
  {
    name: 'a push-timeout that is not a duration',
    inputs: { 'push-timeout': 'soon' },
    error: /^Input "push-timeout" has an invalid value "soon": expected a duration/,
  },
  {
    name: 'an ECR registry without a region',
    inputs: { 'registry-type': 'ecr' },
    env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    error: /^No AWS region: the aws-region input is empty .*Hint: set aws-region/,
  },
];

describe('a bad input', () => {
  // Each case is its own run of the bundle, as a user meets it; a few run at once (jest's
  // maxConcurrency), each with a runner temp of its own. None may build or push, so they share the
  // sandbox and the registry.
  it.concurrent.each(CASES.map((badInput) => [badInput.name, badInput] as const))(
    '%s fails the step before anything is built or pushed',
    async (_name, { inputs, error, env }) => {
      const resolved = Object.fromEntries(
        Object.entries(inputs).map(([key, value]) => [key, value.replace('REGISTRY', registry.host)]),
      );
      const { run } = await buildPush(
        sandbox,
        {
          images: `${registry.host}/team/app`,
          tags: 'type=sha',
          username: CI.username,
          password: CI.password,
          'insecure-registries': registry.host,
          ...resolved,
        },
        { env },
      );

      expectOutcome(run, 'failure');
      const source = error.source
        .replace('^', '')
        .replaceAll('REGISTRY', registry.host.replaceAll('.', '\\.'));
      expect(errors(run).map((annotation) => annotation.message)).toEqual([
        expect.stringMatching(new RegExp(`^Invalid configuration: ${source}`)),
      ]);
      expect(run.outputs).toEqual({});
      expect(run.state['auth-file']).toBeUndefined();
      expect(run.post?.exitCode).toBe(0);
      expectNothingBuilt(run);
      expect(sandbox.buildahImages()).toEqual([]);
      expect(await listTags(registry, 'team/app', CI)).toEqual([]);
      expectNoSecretLeaks(run, [CI.password, BUILD_SECRET]);
    },
  );
});
