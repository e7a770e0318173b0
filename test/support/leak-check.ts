/**
 * Finds secrets where a user of an action could read them: the run log (before masking, since
 * Gantry code must never print a secret even if the runner would mask it), stderr, the job
 * summary, outputs, annotations, exported environment and the post step. A secret counts in its
 * raw form and in the encoded forms the runner's masker also knows: URL, JSON and base64.
 * `::add-mask::` lines are not leaks: the runner consumes them and they never reach the UI.
 */
import type { ActionRun, StepRun } from './action-runner.ts';
import { parseCommand } from './runner/workflow-commands.ts';

/** Shorter secrets would match by chance, which makes a clean result meaningless. */
const MIN_SECRET_LENGTH = 4;
const ADD_MASK = new Set(['add-mask']);

interface Place {
  where: string;
  text: string;
}

interface Form {
  name: string;
  text: string;
}

export function findSecretLeaks(run: ActionRun, secrets: string[]): string[] {
  const places = placesOf(run);
  const findings: string[] = [];
  secrets.forEach((secret, index) => {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `Secret #${index} has ${secret.length} characters: a leak check needs at least ${MIN_SECRET_LENGTH}, ` +
          'or it would find it by chance',
      );
    }
    const label = `secret #${index} (${secret.slice(0, 2)}…)`;
    for (const form of formsOf(secret)) {
      for (const place of places) {
        if (place.text.includes(form.text)) findings.push(`${label}${form.name} in ${place.where}`);
      }
    }
  });
  return findings;
}

export function expectNoSecretLeaks(run: ActionRun, secrets: string[]): void {
  const findings = findSecretLeaks(run, secrets);
  if (findings.length > 0) {
    throw new Error(
      `${findings.length} secret leak(s) in the action run:\n${findings.map((f) => `- ${f}`).join('\n')}`,
    );
  }
}

function placesOf(run: ActionRun): Place[] {
  return [
    ...stepPlaces(run, ''),
    ...Object.entries(run.outputs).map(([name, value]) => ({ where: `output ${name}`, text: value })),
    // The runner shows exported variables, names and values, in the header of every later step.
    ...Object.entries(run.exportedEnv).map(([name, value]) => ({
      where: `exported env ${name}`,
      text: `${name}=${value}`,
    })),
    ...run.addedPath.map((directory) => ({ where: 'added path', text: directory })),
    ...(run.post ? stepPlaces(run.post, 'post ') : []),
  ];
}

function stepPlaces(step: StepRun, prefix: string): Place[] {
  const stderr = step.stderr
    .split('\n')
    .filter((line) => !parseCommand(line, ADD_MASK))
    .join('\n');
  return [
    { where: `${prefix}log`, text: step.log },
    { where: `${prefix}stderr`, text: stderr },
    { where: `${prefix}summary`, text: step.summary },
    ...step.annotations.map((annotation, index) => ({
      where: `${prefix}annotation #${index} (${annotation.level})`,
      text: [annotation.message, ...Object.values(annotation.properties)].join('\n'),
    })),
  ];
}

/** The raw secret and each distinct encoding of it that a careless log line could contain. */
function formsOf(secret: string): Form[] {
  const forms: Form[] = [{ name: '', text: secret }];
  const add = (name: string, text: string): void => {
    if (!forms.some((form) => form.text === text)) forms.push({ name, text });
  };
  add(' URL-encoded', encodeURIComponent(secret));
  add(
    ' URL-encoded',
    encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
  add(' form-encoded', new URLSearchParams({ s: secret }).toString().slice(2));
  add(' JSON-escaped', JSON.stringify(secret).slice(1, -1));
  for (const text of base64Forms(secret)) {
    add(' base64-encoded', text);
    add(' base64url-encoded', text.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}

/**
 * The base64 text of a secret at each of the three byte alignments it can have inside a longer
 * encoded value, keeping only the characters that depend on the secret alone (the runner's
 * masker does the same with its Base64StringEscapeShift encoders).
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const leading = [0, 2, 3][shift] ?? 0;
    const partialLast = ((shift + bytes.length) * 8) % 6 !== 0;
    return encoded.slice(leading, partialLast ? -1 : undefined);
  });
}
