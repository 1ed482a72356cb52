import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { policy, target } from "./test-world";

describe("destinationrule.tls", () => {
  it("tls", async () => {
    await expectPass(
      "destinationrule.tls",
      { ...target, mode: "ISTIO_MUTUAL" },
      policy("    tls: { mode: ISTIO_MUTUAL }"),
    );
    await expectFail(
      "destinationrule.tls",
      { ...target, mode: "SIMPLE", sni: "x" },
      policy("    tls: { mode: SIMPLE }"),
      /sni is unset, expected "x"/,
    );
  });
});
