import { ConfigurationError } from '../../../shared/src/errors.ts';
import { getList, getOptionalString, invalidInput } from '../../../shared/src/runner/inputs.ts';
import { maskSecret, redact } from '../../../shared/src/runner/secrets.ts';
import {
  identityLines,
  identityProblem,
  recipientProblem,
  type Decryption,
  type Encryption,
} from './streams/encryption.ts';

/** The age inputs: encrypt-to or encrypt-passphrase, and decrypt-identity, checked by age itself. */

export async function readEncryption(): Promise<Encryption | undefined> {
  const recipients = getList('encrypt-to');
  const passphrase = getOptionalString('encrypt-passphrase', { secret: true });
  if (recipients.length > 0 && passphrase !== undefined) {
    throw new ConfigurationError(
      'Inputs "encrypt-to" and "encrypt-passphrase" are both given: age encrypts to one or the other.',
      {
        input: 'encrypt-passphrase',
      },
    );
  }
  if (passphrase !== undefined) {
    if (passphrase.length < 12) {
      throw invalidInput(
        'encrypt-passphrase',
        passphrase,
        'expected at least 12 characters (a generated one: age-keygen, or 5 random words)',
        true,
      );
    }
    return { passphrase };
  }
  if (recipients.length === 0) return undefined;
  for (const recipient of recipients) {
    if (/^AGE-SECRET-KEY-/i.test(recipient)) {
      maskSecret(recipient);
      throw invalidInput(
        'encrypt-to',
        recipient,
        'expected public keys (age1…), and this is a secret identity: rotate it, it is in the workflow now',
        true,
      );
    }
    const problem = await recipientProblem(recipient);
    if (problem)
      throw invalidInput(
        'encrypt-to',
        recipient,
        `expected age public keys like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p (${problem})`,
      );
  }
  return { recipients };
}

export async function readIdentities(): Promise<Decryption | undefined> {
  const text = getOptionalString('decrypt-identity', { secret: true });
  if (text === undefined) return undefined;
  const identities = identityLines(text);
  if (identities.length === 0) {
    throw invalidInput(
      'decrypt-identity',
      text,
      'expected an age identity: an age-keygen file or its AGE-SECRET-KEY-1… line',
      true,
    );
  }
  for (const identity of identities) {
    maskSecret(identity);
    // age's message quotes the identity it refuses.
    const problem = await identityProblem(identity);
    if (problem)
      throw invalidInput('decrypt-identity', identity, `expected an age identity (${redact(problem)})`, true);
  }
  return { identities };
}
