/**
 * The repository state behind the simulated Deployments API: deployments and their statuses with
 * GitHub's field names, ids that only grow, and the `auto_inactive` rule GitHub applies on its
 * own (a new status marks earlier non-transient, non-production deployments of the environment
 * inactive), which is why production needs Gantry's explicit sweep.
 */
export interface Deployment {
  url: string;
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  original_environment: string;
  environment: string;
  description: string | null;
  creator: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
}

export interface DeploymentStatus {
  url: string;
  id: number;
  node_id: string;
  state: StatusState;
  creator: Deployment['creator'];
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  created_at: string;
  updated_at: string;
  deployment_url: string;
  repository_url: string;
}

export const STATUS_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;
export type StatusState = (typeof STATUS_STATES)[number];

const CREATOR = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export class RepositoryState {
  readonly deployments: Deployment[] = [];
  readonly statuses = new Map<number, DeploymentStatus[]>();
  private nextId = 1000;

  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** Branch and tag names the repository has, with their commits. */
  readonly refs: Record<string, string>;
  /** Status contexts of every commit that failed; a deployment without required_contexts is refused. */
  readonly failingContexts: string[];

  constructor(
    apiUrl: string,
    owner: string,
    repo: string,
    refs: Record<string, string>,
    failingContexts: string[] = [],
  ) {
    this.apiUrl = apiUrl;
    this.owner = owner;
    this.repo = repo;
    this.refs = refs;
    this.failingContexts = failingContexts;
  }

  get repositoryUrl(): string {
    return `${this.apiUrl}/repos/${this.owner}/${this.repo}`;
  }

  /** A ref's commit: a full SHA stands for itself; undefined when the repository has no such ref. */
  resolveRef(ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    return this.refs[ref.replace(/^refs\/(heads|tags)\//, '')];
  }

  createDeployment(fields: {
    sha: string;
    ref: string;
    task: string;
    payload: unknown;
    environment: string;
    description: string | null;
    transient: boolean;
    production: boolean;
  }): Deployment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const url = `${this.repositoryUrl}/deployments/${id}`;
    const deployment: Deployment = {
      url,
      id,
      node_id: Buffer.from(`Deployment${id}`).toString('base64'),
      sha: fields.sha,
      ref: fields.ref,
      task: fields.task,
      payload: fields.payload,
      original_environment: fields.environment,
      environment: fields.environment,
      description: fields.description,
      creator: CREATOR,
      created_at: now,
      updated_at: now,
      statuses_url: `${url}/statuses`,
      repository_url: this.repositoryUrl,
      transient_environment: fields.transient,
      production_environment: fields.production,
    };
    this.deployments.push(deployment);
    this.statuses.set(id, []);
    return deployment;
  }

  addStatus(
    deployment: Deployment,
    fields: {
      state: StatusState;
      description: string;
      logUrl: string;
      environmentUrl: string;
      autoInactive: boolean;
    },
  ): DeploymentStatus {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const status: DeploymentStatus = {
      url: `${deployment.url}/statuses/${id}`,
      id,
      node_id: Buffer.from(`DeploymentStatus${id}`).toString('base64'),
      state: fields.state,
      creator: CREATOR,
      description: fields.description,
      environment: deployment.environment,
      target_url: fields.logUrl,
      log_url: fields.logUrl,
      environment_url: fields.environmentUrl,
      created_at: now,
      updated_at: now,
      deployment_url: deployment.url,
      repository_url: this.repositoryUrl,
    };
    this.statuses.get(deployment.id)?.push(status);
    deployment.updated_at = now;
    if (fields.state === 'success' && fields.autoInactive) this.autoInactivate(deployment);
    return status;
  }

  latestState(id: number): StatusState | undefined {
    return this.statuses.get(id)?.at(-1)?.state;
  }

  /** GitHub's auto_inactive: never for production or transient environments' deployments. */
  private autoInactivate(current: Deployment): void {
    for (const earlier of this.deployments) {
      if (earlier.id >= current.id || earlier.environment !== current.environment) continue;
      if (earlier.production_environment || earlier.transient_environment) continue;
      const state = this.latestState(earlier.id);
      // "An inactive status is only added to deployments that had a success state."
      if (state !== 'success') continue;
      this.addStatus(earlier, {
        state: 'inactive',
        description: '',
        logUrl: '',
        environmentUrl: '',
        autoInactive: false,
      });
    }
  }
}
