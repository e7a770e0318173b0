import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ActionError } from '../../../../shared/src/errors.ts';

/**
 * age encryption (age-encryption, the reference TypeScript implementation) as Node streams. The
 * library works on web streams and is loaded only when a backup is encrypted or decrypted.
 *
 * Recipients (`age1…`) let the runner that writes backups hold no key that reads them; a
 * passphrase (age's scrypt recipient) is for teams without key pairs. Its work factor is age's
 * default (2^18): deriving the key takes a second or two and 256 MiB of memory, once per file.
 */

export type Encryption = { recipients: string[] } | { passphrase: string };

/** What the manifest records: the recipients, or only that a passphrase was used. */
export type ManifestEncryption = null | { recipients: string[] } | { passphrase: true };

export type Decryption = { identities: string[] } | { passphrase: string };

export function manifestEncryption(encryption: Encryption | undefined): ManifestEncryption {
  if (!encryption) return null;
  return 'recipients' in encryption ? { recipients: encryption.recipients } : { passphrase: true };
}

/** The reason a recipient is refused, or undefined when age accepts it. */
export async function recipientProblem(recipient: string): Promise<string | undefined> {
  const { Encrypter } = await import('age-encryption');
  try {
    new Encrypter().addRecipient(recipient);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The AGE-SECRET-KEY-… lines of an identity input: an age-keygen file (with its `# created` and
 * `# public key` comments) or the key line alone. Empty when there is none.
 */
export function identityLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^AGE-SECRET-KEY-/i.test(line));
}

/** The reason an identity is refused, or undefined when age accepts it. */
export async function identityProblem(identity: string): Promise<string | undefined> {
  const { identityToRecipient } = await import('age-encryption');
  try {
    await identityToRecipient(identity);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function encryptStream(plaintext: Readable, encryption: Encryption): Promise<Readable> {
  const { Encrypter } = await import('age-encryption');
  const encrypter = new Encrypter();
  if ('recipients' in encryption)
    for (const recipient of encryption.recipients) encrypter.addRecipient(recipient);
  else encrypter.setPassphrase(encryption.passphrase);
  const web = Readable.toWeb(plaintext) as unknown as ReadableStream<Uint8Array>;
  const encrypted = await encrypter.encrypt(web);
  return Readable.fromWeb(encrypted as unknown as WebReadableStream<Uint8Array>);
}

/**
 * The plaintext of an age file as a stream. The header is read and checked before this resolves,
 * so a wrong identity or passphrase fails here, before anything reads the plaintext.
 */
export async function decryptStream(ciphertext: Readable, decryption: Decryption): Promise<Readable> {
  const { Decrypter } = await import('age-encryption');
  const decrypter = new Decrypter();
  if ('identities' in decryption)
    for (const identity of decryption.identities) decrypter.addIdentity(identity);
  else decrypter.addPassphrase(decryption.passphrase);
  const web = Readable.toWeb(ciphertext) as unknown as ReadableStream<Uint8Array>;
  try {
    const plaintext = await decrypter.decrypt(web);
    return Readable.fromWeb(plaintext as unknown as WebReadableStream<Uint8Array>);
  } catch (error) {
    ciphertext.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ActionError(`The backup could not be decrypted: ${reason}.`, {
      cause: error,
      hint:
        'identities' in decryption
          ? 'decrypt-identity must be the identity of one of the recipients in the manifest (encryption.recipients)'
          : 'decrypt-passphrase must be the encrypt-passphrase the backup was made with',
    });
  }
}
