import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

describe("virtualservice.fault", () => {
  const jason = { headers: { "end-user": "jason" } };
  const scoped = (fault: string) =>
    world(
      vs(
        `  - match: [{ headers: { end-user: { exact: jason } } }]\n    fault: ${fault}\n    route: [{ destination: { host: helloworld, subset: v1 } }]\n${serveV1}`,
      ),
    );
  it("accepts a delay or abort with its percentage, scoped to one user", async () => {
    const delay = "{ delay: { fixedDelay: 7s, percentage: { value: 100 } } }";
    await expectPass(
      "virtualservice.fault",
      {
        ...target,
        request: jason,
        delay: { fixedDelay: "7000ms", percent: 100 },
        unaffectedRequest: { headers: { "end-user": "bob" } },
      },
      scoped(delay),
    );
    await expectPass(
      "virtualservice.fault",
      { ...target, request: jason, abort: { httpStatus: 500, percent: 10 } },
      scoped("{ abort: { httpStatus: 500, percentage: { value: 10.0 } } }"),
    );
  });
  it("rejects a missing percentage (Istio then injects nothing), a wrong status, and a fault on everyone", async () => {
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, delay: { fixedDelay: "7s" } },
      scoped("{ delay: { fixedDelay: 7s } }"),
      /percentage is unset \(Istio then injects into no request\)/,
    );
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, abort: { httpStatus: 500 } },
      scoped("{ abort: { httpStatus: 503, percentage: { value: 100 } } }"),
      /httpStatus is 503, expected 500/,
    );
    await expectFail(
      "virtualservice.fault",
      { ...target, request: jason, delay: { percent: 100 }, unaffectedRequest: {} },
      world(
        vs(
          `  - fault: { delay: { fixedDelay: 7s, percentage: { value: 100 } } }\n    route: [{ destination: { host: helloworld, subset: v1 } }]`,
        ),
      ),
      /also injects the delay into GET \/, which should be spared$/,
    );
  });
});
