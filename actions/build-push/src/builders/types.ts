import type { BuildSettings } from '../build-settings.ts';
import type { RunnerLogins } from '../credentials/auth-file.ts';

/**
 * What every builder is asked to do, already validated and computed (tags from the tag rules, labels
 * with the OCI defaults), and what it reports back. A builder turns one into the other with its own
 * program; nothing outside its module knows that program's flags.
 */

export interface BuildSecret {
  id: string;
  /** The secret itself: handed to the builder through a file or the environment, never argv. */
  value?: string;
  /** A file on the runner holding the secret. */
  file?: string;
  /** An environment variable of the runner holding the secret (build-push-action's secret-envs). */
  env?: string;
}

export interface BuildRequest {
  context: string;
  file: string | undefined;
  target: string | undefined;
  buildArgs: Record<string, string>;
  secrets: BuildSecret[];
  platforms: string[];
  labels: Record<string, string>;
  /** Full references, `registry/repository:tag`. */
  tags: string[];
  cacheFrom: string[];
  cacheTo: string[];
  push: boolean;
  load: boolean;
  provenance: boolean;
  sbom: boolean;
  noCache: boolean;
  /** build-push-action's other build inputs (ssh, build-contexts, annotations, outputs, ...). */
  settings: BuildSettings;
  /**
   * Seconds since the epoch to stamp the image with (SOURCE_DATE_EPOCH): the commit's date, so that
   * a rebuild of one commit gives the same image. Undefined leaves the builder's default (now).
   */
  sourceDateEpoch: number | undefined;
  pull: boolean;
  /**
   * The caller needs the image ID although the image is neither pushed nor loaded (to compare it with
   * what an immutable tag holds). buildx reports one only for an exported image, so the docker builder
   * then exports it to the builder's own store; buildah always has it.
   */
  reportImageId: boolean;
}

export interface BuildOutcome {
  /**
   * The image's config digest, `sha256:…`; for several platforms, the ID the builder gives the list.
   * Undefined when the builder could not tell: buildx exports nothing for a build that is neither
   * pushed nor loaded, unless `reportImageId` asks for it.
   */
  imageId: string | undefined;
  /** The manifest (or manifest list) digest in the registry; set exactly when the image was pushed. */
  digest: string | undefined;
  /** The builder's own account of the build, for the `metadata` output. */
  metadata: Record<string, unknown>;
}

/** Where a build keeps its files; the caller creates and removes the directory. */
export interface BuildPaths {
  /** A fresh directory, private to this build: image ID, metadata and secret files go here. */
  workDir: string;
  /** A docker-style `config.json` with the registry credentials, when there are any. */
  authFile: string | undefined;
}

export interface BuildCommand {
  command: string;
  args: string[];
  /** Added to the runner's environment; may hold secret values, which are registered for masking. */
  env: Record<string, string>;
}

export interface BuildOptions {
  signal: AbortSignal;
  /**
   * Bounds pushing, retries included, from the moment pushing starts (the build's own time does not
   * count): a registry that stays down, or a push that hangs, fails the step when it passes. Both
   * builders build first and push after (docker: a second, cached run of the build with --push).
   */
  pushTimeoutMs: number;
  authFile: string | undefined;
}

/** What a builder found out about itself before building, for the job summary. */
export interface BuilderReadiness {
  /** Sentences for the summary, such as why a re-run cannot give the same image. */
  notes: string[];
}

export interface Builder {
  readonly name: string;
  /**
   * Asks the builder program what it can do (the docker builder: BuildKit's version), before the
   * first `command` or `build`; a dry run skips it and shows the command for a current builder.
   */
  prepare(signal: AbortSignal): Promise<BuilderReadiness>;
  /** The build command for these paths, exactly as `build` runs it: what a dry run shows. */
  command(request: BuildRequest, paths: BuildPaths): BuildCommand;
  build(request: BuildRequest, options: BuildOptions): Promise<BuildOutcome>;
  /** The runner's own logins this builder would use, which the auth file it is given must keep. */
  runnerLogins(): RunnerLogins;
}
