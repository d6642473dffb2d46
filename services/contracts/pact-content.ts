/**
 * What the broker reads from a pact file (Pact specification V2-V4, as pact-js writes them).
 */
import { createHash } from "node:crypto";
import { DomainError } from "@/server/errors";

type Interaction = { type?: string; description?: string };
type PactFile = { consumer?: { name?: unknown }; provider?: { name?: unknown }; interactions?: unknown; messages?: unknown; metadata?: { pactSpecification?: unknown } };

/** JSON with object keys sorted, so equal content hashes equally whatever order it was written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function interactionsOf(pact: PactFile): Interaction[] {
  // V3 message pacts list `messages`; V2-V4 HTTP and V4 mixed pacts list `interactions`.
  const list = [...(Array.isArray(pact.interactions) ? pact.interactions : []), ...(Array.isArray(pact.messages) ? pact.messages : [])];
  return list.filter((i): i is Interaction => !!i && typeof i === "object");
}

/** The pact's kind: http, message, or http+message (a V4 pact may hold both). */
function kindOf(pact: PactFile, interactions: Interaction[]): string {
  const kinds = new Set(
    interactions.map((i) => {
      if (typeof i.type === "string") return /http/i.test(i.type) ? "http" : "message";
      return Array.isArray(pact.messages) && pact.messages.includes(i) ? "message" : "http";
    }),
  );
  return [...kinds].sort().join("+") || "http";
}

export type ParsedPact = { sha: string; kind: string; interactions: string[]; content: Record<string, unknown> };

/**
 * Checks a published pact (its consumer and provider must be the ones it is published for) and
 * computes its content hash: sha256 of the canonical JSON of consumer, provider, interactions and
 * specification version — not the rest of the metadata (the pact-js version that wrote it), so the
 * same contract published by many consumer versions is one content, verified once.
 */
export function parsePact(content: Record<string, unknown>, expected: { consumer: string; provider: string }): ParsedPact {
  const pact = content as PactFile;
  const consumer = pact.consumer?.name;
  const provider = pact.provider?.name;
  if (consumer !== expected.consumer) throw new DomainError("BAD_REQUEST", `the pact for ${expected.provider} names consumer "${String(consumer)}", not "${expected.consumer}"`);
  if (provider !== expected.provider) throw new DomainError("BAD_REQUEST", `the pact published for provider "${expected.provider}" names provider "${String(provider)}"`);
  const interactions = interactionsOf(pact);
  if (interactions.length === 0) throw new DomainError("BAD_REQUEST", `the pact between ${expected.consumer} and ${expected.provider} has no interactions`);
  const hashed = { consumer, provider, interactions: pact.interactions, messages: pact.messages, spec: pact.metadata?.pactSpecification };
  return {
    sha: createHash("sha256").update(canonicalJson(hashed)).digest("hex"),
    kind: kindOf(pact, interactions),
    interactions: interactions.map((i) => i.description ?? "(no description)"),
    content,
  };
}
