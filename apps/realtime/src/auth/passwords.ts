import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 passes): ~60 ms here, slow enough for guessing.
// algorithm 2 is Argon2id (the package exports it as an ambient const enum).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Verifying against this keeps a login for an unknown user as slow as for a known one.
let decoyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** Checks a password; with no stored hash it still spends the same time, then says no. */
export async function verifyPassword(stored: string | undefined, password: string) {
  if (stored === undefined) {
    decoyHash ??= hashPassword("parley-decoy-password");
    await verify(await decoyHash, password);
    return false;
  }
  return verify(stored, password);
}
