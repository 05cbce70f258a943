import { hash, verify } from "@node-rs/argon2";

/**
 * Argon2id (OWASP's first choice) through @node-rs/argon2, whose prebuilt binary ships inside the
 * npm package: no install script, no download. Parameters: 19 MiB, 2 passes (OWASP minimum).
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random string, verified against when the email is unknown so that a login
 * takes the same time whether or not the account exists.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("tsunagu-timing-equaliser", OPTIONS);
  return dummyHash;
}
