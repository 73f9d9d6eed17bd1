import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { type Refusal, SendAdmission } from "./admission.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test("sends past the in-flight bound are refused with UNAVAILABLE, and admitted again after", async () => {
  const refused: Refusal[] = [];
  const admission = new SendAdmission(
    { maxInFlight: 2, maxWaitMs: 60_000, maxLoopDelayMs: 0, shedFromBusy: 1 },
    (r) => refused.push(r),
  );
  const gate = deferred();
  const running = [admission.track(() => gate.promise), admission.track(() => gate.promise)];
  assert.equal(admission.pending, 2);
  const error = admission.refusal();
  assert.ok(error instanceof ConnectError);
  assert.equal(error.code, Code.Unavailable);
  assert.match(error.rawMessage, /too many messages in flight/);
  assert.deepEqual(refused, ["in-flight"]);
  gate.resolve();
  await Promise.all(running);
  assert.equal(admission.pending, 0);
  assert.equal(admission.refusal(), undefined);
});

test("a failing send frees its place", async () => {
  const admission = new SendAdmission({
    maxInFlight: 1,
    maxWaitMs: 60_000,
    maxLoopDelayMs: 0,
    shedFromBusy: 1,
  });
  await assert.rejects(
    admission.track(() => Promise.reject(new Error("log down"))),
    /log down/,
  );
  assert.equal(admission.pending, 0);
  assert.equal(admission.refusal(), undefined);
});

test("a stalled event loop refuses sends until it recovers", async (t) => {
  const refused: Refusal[] = [];
  const admission = new SendAdmission(
    { maxInFlight: 100, maxWaitMs: 60_000, maxLoopDelayMs: 100, shedFromBusy: 1 },
    (r) => refused.push(r),
  );
  admission.start();
  t.after(() => admission.stop());
  assert.equal(admission.refusal(), undefined);
  // Block the loop for 300 ms several times within one judging window.
  for (let i = 0; i < 3; i++) {
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // busy: nothing else runs
    }
    await sleep(1);
  }
  // The next judgement sees the stalls; sends are refused until a quiet window passes.
  await until(() => admission.loopDelay > 100);
  assert.match(String(admission.refusal()?.rawMessage), /overloaded/);
  assert.deepEqual(refused, ["loop-delay"]);
  await until(() => admission.loopDelay < 100);
  assert.equal(admission.refusal(), undefined);
});

async function until(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, "condition not reached in time");
    await sleep(20);
  }
}

test("a send stuck for longer than the wait bound refuses new ones until it is done", async () => {
  const refused: Refusal[] = [];
  const admission = new SendAdmission(
    { maxInFlight: 100, maxWaitMs: 50, maxLoopDelayMs: 0, shedFromBusy: 1 },
    (r) => refused.push(r),
  );
  const gate = deferred();
  const stuck = admission.track(() => gate.promise);
  assert.equal(admission.refusal(), undefined, "nothing has waited yet");
  await sleep(80);
  assert.match(String(admission.refusal()?.rawMessage), /waiting too long/);
  assert.deepEqual(refused, ["stalled"]);
  gate.resolve();
  await stuck;
  assert.equal(admission.refusal(), undefined);
});

test("a saturated event loop sheds sends, and stops shedding when it is idle again", async (t) => {
  const refused: Refusal[] = [];
  // random() = 0: shed whenever the share is above zero, so the test does not depend on luck.
  const admission = new SendAdmission(
    { maxInFlight: 100, maxWaitMs: 60_000, maxLoopDelayMs: 0, shedFromBusy: 0.5 },
    (r) => refused.push(r),
    () => 0,
  );
  admission.start();
  t.after(() => admission.stop());
  // Busy in 20 ms slices for over a window: timers still fire on time, the loop never idles.
  const end = Date.now() + 1200;
  while (Date.now() < end) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) {
      // busy
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(admission.shedding > 0, `shedding ${admission.shedding}`);
  assert.match(String(admission.refusal()?.rawMessage), /overloaded/);
  assert.deepEqual(refused, ["busy"]);
  await until(() => admission.shedding === 0);
  assert.equal(admission.refusal(), undefined);
});
