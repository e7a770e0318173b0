/**
 * What the runner makes of a step's output lines, after actions/runner's ActionCommandManager:
 * `::name key=value,...::data` commands become annotations, masks, outputs and state, and every
 * other line is shown in the log. The log is the text of the web UI: `Error: message` for an
 * error annotation, a group's title, no `::add-mask::` lines, and masks NOT applied (Gantry code
 * must never print a secret itself, which the leak check relies on).
 */

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface WorkflowCommand {
  /** Lower-cased: the runner matches command names case-insensitively. */
  name: string;
  properties: Record<string, string>;
  data: string;
}

export interface WorkflowCommandOptions {
  /** Step debug logging (ACTIONS_STEP_DEBUG): `::debug::` lines are shown and commands are echoed. */
  debug: boolean;
  /** Annotation file paths under the workspace become repository-relative, as the runner does. */
  workspace: string;
  repository: string;
}

const COMMANDS = new Set([
  'add-mask',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'save-state',
  'set-output',
  'stop-commands',
  'warning',
]);
/** Commands whose line the runner never echoes, even with echo on (OmitEcho in the runner). */
const NEVER_ECHOED = new Set(['add-mask', 'debug', 'error', 'notice', 'warning']);
/** The runner annotates only the first 10 issues of each level per step (the rest are only logged)... */
const MAX_ANNOTATIONS_PER_LEVEL = 10;
/** ...and cuts each annotation's message to 4096 characters. */
const MAX_ANNOTATION_LENGTH = 4096;
const LOG_PREFIX = { error: 'Error: ', warning: 'Warning: ', notice: 'Notice: ' } as const;

const deprecated = (command: string): string =>
  `The \`${command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. ` +
  'For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const STOP_TOKEN_REJECTED =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. " +
  'For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands ' +
  'or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`.';

const unescapeData = (value: string): string =>
  value.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
const unescapeProperty = (value: string): string =>
  value
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');

/** Parses one line as a command named in `names` (lower-case), as the runner's TryParseV2 does. */
export function parseCommand(line: string, names: ReadonlySet<string>): WorkflowCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!names.has(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const equals = pair.indexOf('=');
      const key = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      // The runner drops pairs with an empty key or value (String.Split with RemoveEmptyEntries).
      if (equals > 0 && value !== '') properties[key] = unescapeProperty(value);
    }
  }
  return { name, properties, data: unescapeData(text.slice(end + 2)) };
}

/** One step's command processor; stdout and stderr share it, as they share the runner's. */
export class WorkflowCommands {
  readonly annotations: Annotation[] = [];
  readonly masks: string[] = [];
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  /** True when the runner itself fails the step (a rejected command), whatever the exit code. */
  failed = false;
  readonly #lines: string[] = [];
  readonly #options: WorkflowCommandOptions;
  readonly #counts = { error: 0, warning: 0, notice: 0 };
  #echo: boolean;
  #stopToken: string | undefined;

  constructor(options: WorkflowCommandOptions) {
    this.#options = options;
    this.#echo = options.debug;
  }

  get log(): string {
    return this.#lines.join('\n');
  }

  /** The last `count` lines of the log, for error messages. */
  tail(count: number): string {
    return this.#lines.slice(-count).join('\n');
  }

  processLine(line: string): void {
    if (this.#stopToken !== undefined) {
      // While stopped only the resume token is a command; the runner still shows its line.
      if (parseCommand(line, new Set([this.#stopToken]))) this.#stopToken = undefined;
      this.#lines.push(line);
      return;
    }
    const command = parseCommand(line, COMMANDS);
    if (!command) {
      this.#lines.push(line);
      return;
    }
    if (command.name === 'stop-commands') {
      this.#stop(command.data, line);
      return;
    }
    if (this.#echo && !NEVER_ECHOED.has(command.name)) this.#lines.push(line);
    try {
      this.#apply(command);
    } catch (error) {
      const shown = NEVER_ECHOED.has(command.name) ? command.name : line;
      this.fail(`Unable to process command '${shown}' successfully.`);
      this.fail((error as Error).message);
    }
  }

  /** An annotation and its log line; also how the runner raises issues of its own (inputs, files). */
  annotate(level: Annotation['level'], message: string, properties: Record<string, string> = {}): void {
    this.#lines.push(LOG_PREFIX[level] + message);
    this.#counts[level] += 1;
    if (this.#counts[level] > MAX_ANNOTATIONS_PER_LEVEL) return;
    this.annotations.push({ level, message: message.slice(0, MAX_ANNOTATION_LENGTH), properties });
  }

  /** An error the runner raises that fails the step. */
  fail(message: string): void {
    this.annotate('error', message);
    this.failed = true;
  }

  #apply(command: WorkflowCommand): void {
    const { name, properties, data } = command;
    switch (name) {
      case 'add-mask':
        if (data.trim() === '') {
          this.annotate('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
        } else {
          if (this.#echo) this.#lines.push('::add-mask::***');
          this.masks.push(data);
        }
        return;
      case 'debug':
        if (this.#options.debug) this.#lines.push(...data.split('\n').map((part) => `##[debug]${part}`));
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotate(name, data, this.#repositoryRelative(properties));
        return;
      case 'group':
        this.#lines.push(data);
        return;
      case 'endgroup':
        return;
      case 'echo':
        this.#setEcho(data);
        return;
      case 'set-output':
      case 'save-state':
        this.annotate('warning', deprecated(name));
        if (!properties.name) throw new Error(`Required field 'name' is missing in ##[${name}] command.`);
        (name === 'set-output' ? this.outputs : this.state)[properties.name] = data;
        return;
    }
  }

  #stop(token: string, line: string): void {
    const name = token.toLowerCase();
    if (name === '' || name === 'pause-logging' || COMMANDS.has(name)) {
      this.fail(STOP_TOKEN_REJECTED);
      return;
    }
    this.#lines.push(line);
    this.#stopToken = name;
  }

  #setEcho(value: string): void {
    const setting = value.trim().toLowerCase();
    if (setting !== 'on' && setting !== 'off') {
      throw new Error(
        `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${value}'.`,
      );
    }
    this.#echo = setting === 'on';
  }

  #repositoryRelative(properties: Record<string, string>): Record<string, string> {
    const prefix = `${this.#options.workspace}/`;
    if (!properties.file?.startsWith(prefix)) return properties;
    return { ...properties, file: properties.file.slice(prefix.length), repo: this.#options.repository };
  }
}
