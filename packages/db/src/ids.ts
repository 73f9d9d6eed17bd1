import { randomFillSync } from "node:crypto";

// Crockford's base32: no I, L, O or U, so ids read aloud and compare as plain ASCII.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_CHARS = 10; // 48 bits of milliseconds
const RANDOM_CHARS = 16; // 80 random bits
const RANDOM_LIMIT = 1n << 80n;
const MAX_TIME = 2 ** 48 - 1;

let lastTime = -1;
let lastRandom = 0n;

/**
 * Returns a 26-char ULID-style id: 48-bit ms timestamp then 80 random bits, Crockford base32.
 * Ids sort by creation time; within one process they strictly increase, even within one ms.
 */
export function newId(now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(`newId: time ${now} is outside 0..2^48-1 ms`);
  }
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomBits();
  } else {
    // Same ms, or the clock went back: count up from the previous id so order holds.
    lastRandom += 1n;
    if (lastRandom === RANDOM_LIMIT) {
      lastTime += 1;
      lastRandom = randomBits();
    }
  }
  return encode(BigInt(lastTime), TIME_CHARS) + encode(lastRandom, RANDOM_CHARS);
}

/** The creation time encoded in an id made by {@link newId}. */
export function timeOfId(id: string): Date {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) throw new Error(`not an id: ${JSON.stringify(id)}`);
  let ms = 0;
  for (const char of id.slice(0, TIME_CHARS)) ms = ms * 32 + ALPHABET.indexOf(char);
  return new Date(ms);
}

function randomBits(): bigint {
  const bytes = randomFillSync(new Uint8Array(10));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function encode(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
}
