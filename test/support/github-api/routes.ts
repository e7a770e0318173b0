import { STATUS_STATES, type RepositoryState, type StatusState } from './state.ts';

/**
 * The Deployments endpoints of GitHub's REST API as the simulated server answers them: the paths,
 * status codes, defaults and error bodies of docs.github.com/rest/deployments (2022-11-28).
 */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRequest {
  method: string;
  /** `/repos/o/r/deployments/1001/statuses` */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body; `undefined` without one, the raw text when it is not JSON. */
  body: unknown;
  parsed: boolean;
}

const DOCS = 'https://docs.github.com/rest/deployments';
const MAX_DESCRIPTION = 140;

export function route(repository: RepositoryState, request: ApiRequest): Answer {
  const prefix = `/repos/${repository.owner}/${repository.repo}`;
  if (!request.path.startsWith(`${prefix}/`) && request.path !== prefix)
    return notFound(`${DOCS}/deployments`);
  const rest = request.path.slice(prefix.length);
  if (request.body !== undefined && !request.parsed) {
    return {
      status: 400,
      body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' },
    };
  }
  let match: RegExpExecArray | null;
  if (rest === '/deployments') {
    if (request.method === 'POST') return createDeployment(repository, record(request.body));
    if (request.method === 'GET') return listDeployments(repository, request.query);
  } else if ((match = /^\/deployments\/(\d+)$/.exec(rest))) {
    const deployment = repository.deployments.find((item) => item.id === Number(match?.[1]));
    if (!deployment) return notFound(`${DOCS}/deployments#get-a-deployment`);
    if (request.method === 'GET') return { status: 200, body: deployment };
  } else if ((match = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
    const deployment = repository.deployments.find((item) => item.id === Number(match?.[1]));
    if (!deployment) return notFound(`${DOCS}/statuses#create-a-deployment-status`);
    if (request.method === 'POST') return createStatus(repository, deployment.id, record(request.body));
    if (request.method === 'GET') {
      const statuses = [...(repository.statuses.get(deployment.id) ?? [])].reverse();
      return page(statuses, request.query);
    }
  } else {
    return notFound(DOCS);
  }
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

function createDeployment(repository: RepositoryState, body: Record<string, unknown>): Answer {
  const ref = body.ref;
  if (typeof ref !== 'string' || ref === '') {
    return invalid('Invalid request.\n\n"ref" wasn\'t supplied.', `${DOCS}/deployments#create-a-deployment`);
  }
  const sha = repository.resolveRef(ref);
  if (!sha) return invalid(`No ref found for: ${ref}`, `${DOCS}/deployments#create-a-deployment`);
  for (const name of ['auto_merge', 'transient_environment', 'production_environment'] as const) {
    if (body[name] !== undefined && typeof body[name] !== 'boolean') {
      return invalid(
        `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(body[name])} is not a boolean.`,
        DOCS,
      );
    }
  }
  if (body.required_contexts !== undefined && !Array.isArray(body.required_contexts)) {
    return invalid(
      `Invalid request.\n\nFor 'properties/required_contexts', ${JSON.stringify(body.required_contexts)} is not an array.`,
      DOCS,
    );
  }
  // Without required_contexts GitHub checks every status context of the commit; the simulated
  // repository's "ci/failing" context fails, as a red build in a real repository would.
  if (body.required_contexts === undefined && repository.failingContexts.length > 0) {
    return {
      status: 409,
      body: {
        message: `Conflict: Commit status checks failed for ${ref}.`,
        errors: repository.failingContexts.map((context) => ({
          contexts: [{ context, state: 'failure' }],
          resource: 'Deployment',
          field: 'required_contexts',
          code: 'invalid',
        })),
        documentation_url: `${DOCS}/deployments#create-a-deployment`,
        status: '409',
      },
    };
  }
  const environment = typeof body.environment === 'string' ? body.environment : 'production';
  const deployment = repository.createDeployment({
    sha,
    ref,
    task: typeof body.task === 'string' ? body.task : 'deploy',
    payload: body.payload ?? {},
    environment,
    description: typeof body.description === 'string' ? body.description : null,
    transient: body.transient_environment === true,
    production:
      typeof body.production_environment === 'boolean'
        ? body.production_environment
        : environment === 'production',
  });
  return { status: 201, body: deployment };
}

function createStatus(repository: RepositoryState, id: number, body: Record<string, unknown>): Answer {
  const deployment = repository.deployments.find((item) => item.id === id);
  if (!deployment) return notFound(DOCS);
  const state = body.state;
  if (typeof state !== 'string' || !(STATUS_STATES as readonly string[]).includes(state)) {
    return validationFailed('state', `state is not included in the list`);
  }
  const description = typeof body.description === 'string' ? body.description : '';
  if (Array.from(description).length > MAX_DESCRIPTION) {
    return validationFailed(
      'description',
      `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
    );
  }
  if (typeof body.environment === 'string') deployment.environment = body.environment;
  const logUrl =
    typeof body.log_url === 'string'
      ? body.log_url
      : typeof body.target_url === 'string'
        ? body.target_url
        : '';
  const status = repository.addStatus(deployment, {
    state: state as StatusState,
    description,
    logUrl,
    environmentUrl: typeof body.environment_url === 'string' ? body.environment_url : '',
    autoInactive: body.auto_inactive !== false,
  });
  return { status: 201, body: status };
}

function listDeployments(repository: RepositoryState, query: URLSearchParams): Answer {
  const filters = ['sha', 'ref', 'task', 'environment'] as const;
  const matching = repository.deployments.filter((deployment) =>
    filters.every((name) => {
      const wanted = query.get(name);
      return wanted === null || deployment[name] === wanted;
    }),
  );
  return page([...matching].reverse(), query);
}

function page<T>(items: T[], query: URLSearchParams): Answer {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
  const number = Math.max(1, Number(query.get('page') ?? 1) || 1);
  return { status: 200, body: items.slice((number - 1) * perPage, number * perPage) };
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function notFound(documentation: string): Answer {
  return { status: 404, body: { message: 'Not Found', documentation_url: documentation, status: '404' } };
}

function invalid(message: string, documentation: string): Answer {
  return { status: 422, body: { message, documentation_url: documentation, status: '422' } };
}

function validationFailed(field: string, message: string): Answer {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'DeploymentStatus', code: 'custom', field, message }],
      documentation_url: `${DOCS}/statuses#create-a-deployment-status`,
      status: '422',
    },
  };
}
