import { expect, type Page, test } from "@playwright/test";
import { shot, signIn } from "./support/shots";

/**
 * One request followed end to end as ONE trace: an engineer sends "Create a draft template" from the
 * contract browser's Try-it form. The page records the request as a browser span and sends its context
 * in `traceparent`; the gateway (web process) runs the templates procedure, which writes
 * TemplateUpdated to the templates outbox; the worker's dispatcher puts it on the consumers' BullMQ
 * queues and analytics' event feed consumes it. Every process exports its spans to the portal's own
 * receiver, and the trace's flow graph must show browser -> gateway -> templates -> broker -> analytics.
 */

type Flow = { nodes: { id: string; type: string }[]; edges: { source: string; target: string; type: string; count: number }[] };

async function traceFlow(page: Page, traceId: string): Promise<Flow | undefined> {
  const input = encodeURIComponent(JSON.stringify({ json: { traceId } }));
  const res = await page.request.get(`/api/trpc/telemetry.traces.flow?input=${input}`);
  if (!res.ok()) return undefined;
  return ((await res.json()) as { result: { data: { json: Flow } } }).result.data.json;
}

test("a request sent from the browser is one trace through gateway, service, outbox, queue and consumer", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "priya.raman@templator.dev", "/contracts/templates");
  const card = page.locator('details[data-operation="POST /templates"]');
  await card.locator("summary").click();
  const tryIt = card.getByTestId("try-request");
  await expect(tryIt).toBeVisible();

  // The operation's example, with a slug of its own (and without the example's module, which this database lacks).
  const bodyBox = tryIt.getByLabel("request body");
  const example = JSON.parse(await bodyBox.inputValue()) as { slug: string; title: string };
  const slug = `trace-followed-${Date.now().toString(36)}`;
  await bodyBox.fill(JSON.stringify({ ...example, slug, title: "Followed across processes", body: "# {{title}}\n\nImpact: {{impact}}" }, null, 2));
  await tryIt.getByRole("button", { name: "Send request" }).click();
  await expect(tryIt.getByTestId("try-status")).toContainText("201");
  await expect(tryIt.getByTestId("try-response")).toContainText(slug);
  await shot(page, "try-request");

  const traceLink = tryIt.getByTestId("try-trace");
  const href = await traceLink.getAttribute("href");
  const traceId = /\/traces\/([0-9a-f]{32})$/.exec(href ?? "")?.[1];
  expect(traceId, `a trace link, got ${href}`).toBeTruthy();

  // Spans arrive in batches (browser every 2 s, the processes' exporters every 5 s).
  const edge = (f: Flow | undefined, source: string, target: string) => f?.edges.find((e) => e.source === source && e.target === target);
  let flow: Flow | undefined;
  const found = expect
    .poll(
      async () => {
        flow = await traceFlow(page, traceId!);
        const broker = flow?.nodes.find((n) => n.type === "broker");
        return Boolean(
          edge(flow, "svc:switchyard-browser", "svc:switchyard-web") &&
            edge(flow, "svc:switchyard-web", "svc:templates") &&
            broker &&
            edge(flow, "svc:templates", broker.id) &&
            edge(flow, broker.id, "svc:analytics"),
        );
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe(true);
  await found.catch((err: unknown) => {
    console.log(`[one-trace] flow of ${traceId} as last seen: ${JSON.stringify(flow)}`);
    throw err;
  });
  const broker = flow!.nodes.find((n) => n.type === "broker")!;
  expect(broker.id).toBe("broker:switchyard.outbox/templator.events.v1.templates.TemplateUpdated");
  expect(edge(flow, "svc:templates", broker.id)!.type).toBe("produce");
  expect(edge(flow, broker.id, "svc:analytics")!.type).toBe("consume");
  // Browser -> gateway -> templates: one request (one browser span, one gateway call).
  expect(edge(flow, "svc:switchyard-browser", "svc:switchyard-web")!.count).toBe(1);
  // The templates procedure's own database work hangs off templates, not off the web process.
  expect(flow!.nodes.some((n) => n.type === "database")).toBe(true);

  // The same trace in the portal: the flow graph and the waterfall rooted at the browser span.
  await traceLink.click();
  await page.waitForURL(new RegExp(`/traces/${traceId}`));
  await expect(page.getByTestId("trace-services")).toContainText("switchyard-browser");
  await expect(page.getByTestId("waterfall-row").first()).toContainText("POST /api/v1/templates");
  await page.getByRole("tab", { name: "Flow graph" }).click();
  const graph = page.getByTestId("flow-graph");
  for (const id of ["svc:switchyard-browser", "svc:switchyard-web", "svc:templates", "svc:analytics", broker.id]) {
    await expect(graph.locator(`[data-node-id="${id}"]`)).toBeVisible();
  }
  await shot(page, "one-trace-flow-graph");
});
