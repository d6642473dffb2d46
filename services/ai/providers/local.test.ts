import { describe, expect, it } from "vitest";
import { buildPrompt, readPrompt } from "../prompt";
import { countTokens } from "../tokenizer";
import { localProvider } from "./local";

const draft = "# Postmortem: Checkout outage\n\n## Impact\nEU customers for 40 minutes\n\n## Timeline\n\n## Owner\n{{owner}}";

describe("the local provider", () => {
  it("completes the draft: open placeholders marked, empty sections written from related inputs", async () => {
    const prompt = buildPrompt({ title: "Postmortem", draft, inputs: { title: "Checkout outage", timeline_notes: "14:02 deploy; 14:05 alerts" } });
    expect(readPrompt(prompt)).toEqual({ inputs: { timeline_notes: "14:02 deploy; 14:05 alerts", title: "Checkout outage" }, draft });
    const r = await localProvider().generate({ prompt, maxTokens: 1000 });
    expect(r.text).toBe(
      "# Postmortem: Checkout outage\n\n## Impact\nEU customers for 40 minutes\n\n## Timeline\n\nTimeline notes: 14:02 deploy; 14:05 alerts\n\n## Owner\n_(owner: to be decided)_",
    );
    expect(r).toMatchObject({ model: "local-draft-1", promptTokens: countTokens(prompt), completionTokens: countTokens(r.text) });
  });

  it("is deterministic and respects maxTokens", async () => {
    const prompt = buildPrompt({ draft, inputs: {} });
    const a = await localProvider("m").generate({ prompt, maxTokens: 5 });
    expect(a).toEqual(await localProvider("m").generate({ prompt, maxTokens: 5 }));
    expect(a.completionTokens).toBe(5);
    expect(a.text).toBe("# Postmortem:"); // "#", " Post", "mort", "em", ":"
  });

  it("answers a prompt of its own making too", async () => {
    expect((await localProvider().generate({ prompt: "Say hello", maxTokens: 50 })).text).toBe("# Draft\n\nSay hello");
  });
});
