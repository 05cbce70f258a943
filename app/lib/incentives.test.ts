import { describe, expect, it } from "vitest";
import { incentiveLabels } from "./incentives";

describe("incentiveLabels", () => {
  it("lists amounts in a fixed order", () => {
    const summary = {
      kinds: ["CERTIFICATE", "LOCAL_POINTS", "TRANSPORT_FEE"] as const,
      transportFeeYen: 500,
      thanksYen: null,
      localPoints: 1000,
    };
    expect(incentiveLabels(summary, "ja")).toEqual(["交通費 500円", "地域ポイント 1,000pt", "活動証明書"]);
    expect(incentiveLabels(summary, "en")).toEqual(["Transport fee ¥500", "Local points: 1,000 pt", "Participation certificate"]);
  });

  it("names a kind without an amount, and nothing when there are no kinds", () => {
    expect(incentiveLabels({ kinds: ["THANKS_MONEY"], transportFeeYen: null, thanksYen: null, localPoints: null }, "ja")).toEqual([
      "謝礼あり",
    ]);
    expect(incentiveLabels({ kinds: [], transportFeeYen: 300, thanksYen: null, localPoints: null }, "ja")).toEqual([]);
  });
});
