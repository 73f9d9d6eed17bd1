import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TokenGate } from "./auth";

function countingSource() {
  let refreshes = 0;
  return {
    get refreshes() {
      return refreshes;
    },
    getAccessToken: async () => "t0",
    refresh: async () => {
      refreshes++;
      await Promise.resolve();
      return `t${refreshes}`;
    },
  };
}

describe("TokenGate", () => {
  it("shares one refresh among concurrent callers with the same expired token", async () => {
    const source = countingSource();
    const gate = new TokenGate(source);
    const stale = await gate.current();
    const tokens = await Promise.all([1, 2, 3, 4].map(() => gate.refreshAfter(stale)));
    assert.deepEqual(tokens, ["t1", "t1", "t1", "t1"]);
    assert.equal(source.refreshes, 1);
  });

  it("does not refresh again for a caller holding an older token", async () => {
    const source = countingSource();
    const gate = new TokenGate(source);
    await gate.refreshAfter(await gate.current());
    assert.equal(await gate.refreshAfter("t0"), "t1");
    assert.equal(source.refreshes, 1);
    assert.equal(await gate.refreshAfter("t1"), "t2");
  });

  it("lets the next caller try again after a failed refresh", async () => {
    let fail = true;
    const gate = new TokenGate({
      getAccessToken: async () => "t0",
      refresh: async () => {
        if (fail) throw new Error("offline");
        return "t1";
      },
    });
    await assert.rejects(gate.refreshAfter("t0"));
    fail = false;
    assert.equal(await gate.refreshAfter("t0"), "t1");
  });
});
