import { getLines, getList, getOptionalString, invalidInput } from '../../../shared/src/runner/inputs.ts';

/**
 * docker/build-push-action's remaining build inputs, with its names and its way of reading each
 * (a list split at commas, or one entry a line where entries hold commas: annotations, attests,
 * build-contexts, outputs, ulimit). Each maps to the buildx flag of the same name; with buildah, to
 * buildah's flag where it has one, and is refused otherwise, naming the input and the builder.
 */
export interface BuildSettings {
  /** `--ssh`: `default` or `<id>[=<socket>|<key>[,<key>]]`. */
  ssh: string[];
  /** `--build-context`: `name=<path|url|docker-image://…>`. */
  buildContexts: string[];
  /** `--annotation`: `[<level>:]key=value` (levels: manifest, index, manifest-descriptor, index-descriptor). */
  annotations: string[];
  /** `--output`: buildx exporters, as the user wrote them. */
  outputs: string[];
  /** `--secret id=<id>,env=<variable>`. */
  secretEnvs: { id: string; env: string }[];
  /** `--add-host host:ip`. */
  addHosts: string[];
  network: string | undefined;
  shmSize: string | undefined;
  /** `--ulimit name=soft[:hard]`. */
  ulimits: string[];
  noCacheFilters: string[];
  /** `--allow network.host`, `security.insecure`: buildx entitlements. */
  allow: string[];
  /** `--attest type=…`. */
  attests: string[];
  cgroupParent: string | undefined;
  /** `--call`: build (the default), check, outline or targets. Undefined: build. */
  call: string | undefined;
}

type Builder = 'docker' | 'buildah';

const ANNOTATION =
  /^(?:(?:manifest|index|manifest-descriptor|index-descriptor)(?:\[[^\]]+\])?(?:,(?:manifest|index|manifest-descriptor|index-descriptor)(?:\[[^\]]+\])?)*:)?[^=:\s][^=:]*=/;
const SSH = /^[A-Za-z0-9_.-]+(?:=.+)?$/;
const NAME_VALUE = /^[A-Za-z0-9_.-]+=.+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ADD_HOST = /^[^\s:=]+[:=]\S+$/;
const SIZE = /^\d+(?:\.\d+)?[bkmg]?b?$/i;
const ULIMIT = /^[a-z]+=-?\d+(?::-?\d+)?$/;
const STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENTITLEMENT = /^(?:network\.host|security\.insecure|device(?:=.+)?)$/;
const CALL = /^(?:build|check|outline|targets)(?:,.+)?$/;
const NO_SPACE = /^\S+$/;

export function readBuildSettings(builder: Builder): BuildSettings {
  const options: BuildSettings = {
    ssh: checked(
      'ssh',
      getList('ssh'),
      SSH,
      'default or <id>[=<socket or key>], as in default or github=/path/to/key',
    ),
    buildContexts: checked(
      'build-contexts',
      getLines('build-contexts'),
      NAME_VALUE,
      'name=<path, URL or docker-image://image> per line, as in alpine=docker-image://alpine:3.20',
    ),
    annotations: checked(
      'annotations',
      getLines('annotations'),
      ANNOTATION,
      '[<level>:]key=value per line, where a level is manifest, index, manifest-descriptor or index-descriptor',
    ),
    outputs: readOutputs(),
    secretEnvs: readSecretEnvs(),
    addHosts: checked(
      'add-hosts',
      getList('add-hosts'),
      ADD_HOST,
      'host:ip entries, as in db.local:10.0.0.5',
    ),
    network: optional('network', NO_SPACE, 'default, none, host, or a network name'),
    shmSize: optional('shm-size', SIZE, 'a size such as 64m or 2g'),
    ulimits: checked(
      'ulimit',
      getLines('ulimit'),
      ULIMIT,
      'name=soft[:hard] per line, as in nofile=1024:1024',
    ),
    noCacheFilters: checked('no-cache-filters', getList('no-cache-filters'), STAGE, 'build stage names'),
    allow: checked(
      'allow',
      getList('allow'),
      ENTITLEMENT,
      'network.host, security.insecure or device entitlements',
    ),
    attests: checked(
      'attests',
      getLines('attests'),
      /(?:^|,)type=[a-z]+/,
      'type=sbom|provenance,... per line',
    ),
    cgroupParent: optional('cgroup-parent', NO_SPACE, 'a cgroup path'),
    call: optional('call', CALL, 'build, check, outline or targets (with buildx options after a comma)'),
  };
  if (builder === 'buildah') refuseForBuildah(options);
  return options;
}

function checked(name: string, entries: string[], pattern: RegExp, accepted: string): string[] {
  for (const entry of entries) if (!pattern.test(entry)) throw invalidInput(name, entry, accepted);
  return entries;
}

function optional(name: string, pattern: RegExp, accepted: string): string | undefined {
  const value = getOptionalString(name);
  if (value !== undefined && !pattern.test(value)) throw invalidInput(name, value, accepted);
  return value;
}

/** buildx: `type=<exporter>,…` or a bare path (the local exporter). */
function readOutputs(): string[] {
  return checked(
    'outputs',
    getLines('outputs'),
    /^(?:(?:[a-z-]+=[^,]*,)*type=[a-z]+(?:,.*)?|[^=,]+)$/,
    'buildx exporters per line, as in type=local,dest=out or type=tar,dest=image.tar',
  );
}

/** build-push-action's `secret-envs`: `id=VARIABLE`, the secret's value in that variable of the runner. */
function readSecretEnvs(): BuildSettings['secretEnvs'] {
  return getList('secret-envs').map((entry) => {
    const [id = '', env = ''] = entry.split('=', 2).map((part) => part.trim());
    if (!SECRET_ID.test(id) || !ENV_NAME.test(env)) {
      throw invalidInput('secret-envs', entry, 'id=VARIABLE entries, as in npm_token=NPM_TOKEN');
    }
    return { id, env };
  });
}

/** The inputs buildah has no flag for (1.28 and later): refused before anything runs. */
function refuseForBuildah(options: BuildSettings): void {
  const refuse = (name: string, value: string, reason: string): never => {
    throw invalidInput(name, value, `${reason}; it needs builder: docker (buildx), and builder is buildah`);
  };
  if (options.annotations.length > 0) {
    refuse(
      'annotations',
      options.annotations[0] as string,
      'buildah builds docker-format images, whose manifests carry no annotations (buildah drops them)',
    );
  }
  if (options.noCacheFilters.length > 0)
    refuse('no-cache-filters', options.noCacheFilters.join(','), 'buildah has no --no-cache-filter');
  if (options.allow.length > 0)
    refuse('allow', options.allow.join(','), 'buildah has no entitlements (--allow)');
  if (options.attests.length > 0)
    refuse('attests', options.attests[0] as string, 'buildah makes no attestations (--attest)');
  if (options.call !== undefined && options.call !== 'build')
    refuse('call', options.call, 'buildah has no --call');
  if (options.outputs.length > 1) refuse('outputs', options.outputs.join('\n'), 'buildah takes one --output');
  const [output] = options.outputs;
  if (output !== undefined && /(?:^|,)type=/.test(output) && !/(?:^|,)type=(?:local|tar)(?:,|$)/.test(output))
    refuse('outputs', output, 'buildah exports only type=local and type=tar (push with push: true)');
}
