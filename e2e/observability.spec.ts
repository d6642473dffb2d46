import { expect, type Page, test } from "@playwright/test";
import { newSpanId, newTraceId, otlpJson, type SpanSpec } from "../services/telemetry/query-fixtures";
import { shot, signIn } from "./support/shots";

/**
 * The service map, RED dashboards and SLO/alert pages on realistic traffic: a small shop of five services
 * sends OTLP/JSON traces to the portal's receiver (/v1/traces) covering the last 40 minutes — a web
 * front calling checkout, checkout calling inventory and payments, PostgreSQL and Redis, and an order
 * message through Kafka to shipping. Payments fails a fifth of its charges (checkout passes half of those
 * on), and inventory is slow now and then: enough for burn-rate alerts. The worker's minutely
 * `telemetry.rollup` job turns the spans into RED rollups; the spec waits for it.
 */

const MINUTES = 40;
const PER_MINUTE = 12;
const failingPayments = new Set<string>();
let paymentsCalls = 0;

function shopTraffic(now: number): SpanSpec[] {
  const spans: SpanSpec[] = [];
  const kafka = { "messaging.system": "kafka", "messaging.destination.name": "orders", "messaging.operation": "publish" };
  for (let m = MINUTES; m >= 1; m--) {
    for (let i = 0; i < PER_MINUTE; i++) {
      const start = now - m * 60_000 - 15_000 + i * (60_000 / PER_MINUTE) * 0.9;
      const n = (MINUTES - m) * PER_MINUTE + i;
      const payFails = n % 5 === 2;
      const checkoutFails = payFails && n % 2 === 0;
      const slowStock = n % 7 === 3;
      const traceId = newTraceId();
      if (payFails) failingPayments.add(traceId);
      paymentsCalls++;
      const [web, webCall, co, coStock, inv, coPay, coPub] = Array.from({ length: 7 }, newSpanId);
      const stockMs = slowStock ? 1150 + (n % 3) * 60 : 18 + (n % 4) * 3;
      const payMs = 45 + (n % 6) * 9;
      const coMs = 12 + stockMs + payMs + 20;
      spans.push(
        { service: "shop-web", name: "GET /checkout", kind: 2, startMs: start, durationMs: coMs + 14, traceId, spanId: web, status: checkoutFails ? 2 : 0, attributes: { "http.route": "/checkout", "http.request.method": "GET", "http.response.status_code": checkoutFails ? 502 : 200 } },
        { service: "shop-web", name: "POST checkout", kind: 3, startMs: start + 4, durationMs: coMs + 6, traceId, spanId: webCall, parentSpanId: web, status: checkoutFails ? 2 : 0 },
        { service: "shop-web", name: "GET session", kind: 3, startMs: start + 1, durationMs: 1.2, traceId, parentSpanId: web, attributes: { "db.system": "redis", "db.operation.name": "GET" } },
        { service: "shop-checkout", name: "POST /orders", kind: 2, startMs: start + 6, durationMs: coMs, traceId, spanId: co, parentSpanId: webCall, status: checkoutFails ? 2 : 0, attributes: { "http.route": "/orders", "http.request.method": "POST" } },
        { service: "shop-checkout", name: "GET cart", kind: 3, startMs: start + 7, durationMs: 0.9, traceId, parentSpanId: co, attributes: { "db.system": "redis" } },
        { service: "shop-checkout", name: "GET /stock", kind: 3, startMs: start + 9, durationMs: stockMs + 3, traceId, spanId: coStock, parentSpanId: co },
        { service: "shop-inventory", name: "GET /stock", kind: 2, startMs: start + 10, durationMs: stockMs, traceId, spanId: inv, parentSpanId: coStock, attributes: { "http.route": "/stock" } },
        { service: "shop-inventory", name: "SELECT stock", kind: 3, startMs: start + 11, durationMs: stockMs - 4, traceId, parentSpanId: inv, attributes: { "db.system": "postgresql", "db.operation.name": "SELECT" } },
        { service: "shop-checkout", name: "POST /charge", kind: 3, startMs: start + 14 + stockMs, durationMs: payMs + 4, traceId, spanId: coPay, parentSpanId: co, status: payFails ? 2 : 0 },
        { service: "shop-payments", name: "POST /charge", kind: 2, startMs: start + 15 + stockMs, durationMs: payMs, traceId, parentSpanId: coPay, status: payFails ? 2 : 1, attributes: { "http.route": "/charge", "http.response.status_code": payFails ? 503 : 200 } },
      );
      if (!checkoutFails) {
        const consumedAt = start + coMs + 40 + (n % 5) * 25;
        spans.push(
          { service: "shop-checkout", name: "INSERT orders", kind: 3, startMs: start + coMs - 8, durationMs: 4.5, traceId, parentSpanId: co, attributes: { "db.system": "postgresql", "db.operation.name": "INSERT" } },
          { service: "shop-checkout", name: "orders publish", kind: 4, startMs: start + coMs - 3, durationMs: 2.5, traceId, spanId: coPub, parentSpanId: co, attributes: kafka },
          { service: "shop-shipping", name: "orders process", kind: 5, startMs: consumedAt, durationMs: 35, traceId, parentSpanId: coPub, attributes: { ...kafka, "messaging.operation": "process" } },
          { service: "shop-shipping", name: "INSERT shipments", kind: 3, startMs: consumedAt + 5, durationMs: 6, traceId, attributes: { "db.system": "postgresql" } },
        );
      }
    }
  }
  return spans;
}

/** The RED rollup's count of shop-payments calls, from the Prometheus exposition. */
async function rolledPaymentsCalls(baseURL: string): Promise<number> {
  const text = await (await fetch(`${baseURL}/metrics/prometheus?window=180`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("traces_span_metrics_calls_total{") && line.includes('service_name="shop-payments"')) sum += Number(line.split(" ").at(-1));
  }
  return sum;
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(240_000);
  const spans = shopTraffic(Date.now());
  for (let i = 0; i < spans.length; i += 1500) {
    const res = await fetch(`${baseURL}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: otlpJson(spans.slice(i, i + 1500)) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain("rejectedSpans");
  }
  // The worker rolls spans up once a minute (with a 2 s safety lag): wait for every payments call.
  await expect.poll(() => rolledPaymentsCalls(baseURL!), { timeout: 180_000, intervals: [2000] }).toBe(paymentsCalls);
});

const mapNode = (page: Page, id: string) => page.locator(`[data-testid=map-node][data-node="${id}"]`);
const edgeLabel = (page: Page, id: string) => page.locator(`[data-testid=edge-label][data-edge="${id}"]`);

test("the service map shows services, databases and a broker with RED on nodes and edges", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/service-map");
  for (const id of ["shop-web", "shop-checkout", "shop-inventory", "shop-payments", "shop-shipping"]) {
    await expect(mapNode(page, id)).toHaveAttribute("data-type", "service");
  }
  await expect(mapNode(page, "db:postgresql")).toHaveAttribute("data-type", "database");
  await expect(mapNode(page, "db:redis")).toHaveAttribute("data-type", "database");
  await expect(mapNode(page, "kafka:orders")).toHaveAttribute("data-type", "broker");
  await expect(mapNode(page, "shop-payments").getByTestId("node-red")).toContainText(/\/s.*20% err.*p95 \d+ ms/);

  const pay = edgeLabel(page, "client_server:shop-checkout->shop-payments");
  await expect(pay).toContainText(`${paymentsCalls} calls`);
  await expect(pay).toContainText("20% err");
  await expect(pay).toContainText(/p50 \d+ ms · p95 \d+ ms/);
  await expect(edgeLabel(page, "client_server:shop-web->shop-checkout")).toBeVisible();
  await expect(edgeLabel(page, "messaging:shop-checkout->kafka:orders")).toBeVisible();
  await expect(edgeLabel(page, "messaging:kafka:orders->shop-shipping")).toBeVisible();
  await expect(edgeLabel(page, "database:shop-inventory->db:postgresql")).toBeVisible();

  await pay.hover();
  const details = page.getByTestId("edge-details");
  await expect(details).toContainText("client → server");
  await expect(details).toContainText("shop-checkout → shop-payments");
  await expect(details).toContainText("Errors");
  await edgeLabel(page, "messaging:kafka:orders->shop-shipping").hover();
  await expect(details).toContainText("time in broker p50");
  await pay.hover();
  await shot(page, "service-map");

  await page.getByRole("button", { name: "6h", exact: true }).click();
  await expect(page).toHaveURL(/range=6h/);
  await expect(mapNode(page, "shop-payments")).toBeVisible();
  await mapNode(page, "shop-payments").click();
  await expect(page).toHaveURL(/\/red\/shop-payments\?range=6h/);
  await expect(page.getByRole("heading", { name: "shop-payments" })).toBeVisible();
});

test("the RED pages list services with sparklines and chart one service with its operations", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/red");
  const row = page.locator('[data-testid=red-services] tr[data-service="shop-payments"]');
  await expect(row).toContainText(String(paymentsCalls));
  await expect(row).toContainText("20%");
  expect(Number(await row.locator("svg.spark").first().getAttribute("data-points"))).toBeGreaterThan(5);
  await shot(page, "red-services");
  await page.locator('[data-testid=red-services] tr[data-service="shop-checkout"] a').click();
  await expect(page).toHaveURL(/\/red\/shop-checkout\?range=1h/);

  for (const chart of ["chart-rate", "chart-errors", "chart-latency"]) {
    await expect(page.getByTestId(chart).locator(".recharts-surface").first()).toBeVisible();
    expect(Number(await page.getByTestId(chart).getAttribute("data-points"))).toBeGreaterThan(30);
  }
  await expect(page.getByTestId("chart-rate").locator("path.recharts-area-curve")).toHaveAttribute("d", /^M.+C/);
  await expect(page.getByTestId("chart-latency").locator("path.recharts-line-curve")).toHaveCount(3);
  const ops = page.getByTestId("operations");
  await expect(ops.locator('tr[data-operation="POST /orders"][data-kind="server"]')).toContainText("10%");
  for (const [op, kind] of [["POST /charge", "client"], ["GET /stock", "client"], ["INSERT orders", "client"], ["GET cart", "client"], ["orders publish", "producer"]]) {
    await expect(ops.locator(`tr[data-operation="${op}"][data-kind="${kind}"]`)).toBeVisible();
  }
  const slow = ops.locator('tr[data-operation="GET /stock"]');
  await expect(slow.locator("td").nth(6)).toContainText(/\d(\.\d)? s/); // p95 over a second
  const failing = page.getByTestId("trace-links").getByRole("link", { name: "Failing traces" });
  const href = new URL((await failing.getAttribute("href"))!, "http://x");
  expect(href.pathname).toBe("/traces");
  expect(Object.fromEntries(href.searchParams)).toMatchObject({ service: "shop-checkout", errors: "1" });
  expect(new Date(href.searchParams.get("to")!).getTime() - new Date(href.searchParams.get("from")!).getTime()).toBe(3_600_000);
  await shot(page, "red-service");

  await page.getByLabel("Filter operations").fill("stock");
  await expect(ops.locator("tbody tr")).toHaveCount(1);
  await page.getByLabel("Operation", { exact: true }).selectOption({ label: "POST /charge · client" });
  await expect(page).toHaveURL(/operation=POST\+%2Fcharge&kind=3|kind=3.*operation=POST/);
  await expect(page.getByTestId("red-kpis")).toContainText("20%");
  const slowLink = ops.locator("tbody tr").first().getByRole("link", { name: "slow" });
  expect(await slowLink.getAttribute("href")).toMatch(/\/traces\?service=shop-checkout&operation=GET\+%2Fstock&min=\d+&from=.+/);
});

test("the SLO page lists the burn-rate alerts with links to the RED chart at that time and to failing traces", async ({ page }) => {
  await signIn(page, "priya.raman@templator.dev", "/slos");
  const rules = page.getByTestId("rules").locator("tbody tr");
  await expect(rules).toHaveCount(3);
  await expect(rules.nth(0)).toContainText(/page\s*14\.4×\s*1h\s*5m/);
  await expect(rules.nth(1)).toContainText(/page\s*6×\s*6h\s*30m/);
  await expect(rules.nth(2)).toContainText(/ticket\s*1×\s*3d\s*6h/);

  const slo = page.locator('[data-testid=slo-table] tr[data-service="shop-payments"]');
  await expect(slo).toContainText("99.5% available");
  await expect(slo).toContainText("80%");
  await expect(slo).toContainText("firing");
  const alert = page.locator('[data-testid=alert][data-service="shop-payments"][data-sli="availability"]').first();
  await expect(alert).toContainText("page");
  await expect(alert).toContainText(/burning \d+(\.\d)?× over (1h|6h)/);
  // 20% failing is a 40x burn: the 6x rule (6h and 30m) fires whatever the minute, with both burn rates shown.
  await expect(alert.locator('[data-testid=alert-rule][data-factor="6"]')).toContainText(/page\s*6×\s*long 6h: 40\.0×.*short 30m: \d+\.\d×/);
  await expect(page.locator('[data-testid=alert][data-service="shop-inventory"][data-sli="latency"]').first()).toContainText("slow traces");
  await shot(page, "slos");

  const traceLink = alert.getByTestId("example-trace").first();
  const traceId = (await traceLink.getAttribute("href"))!.replace("/traces/", "");
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(failingPayments.has(traceId)).toBe(true);
  const res = await page.request.get(`/api/trpc/telemetry.traces.get?input=${encodeURIComponent(JSON.stringify({ json: { traceId } }))}`);
  expect(res.status()).toBe(200);
  const trace = (await res.json()) as { result: { data: { json: { spans: { serviceName: string }[] } } } };
  expect(trace.result.data.json.spans.map((s) => s.serviceName)).toContain("shop-payments");

  await alert.getByTestId("alert-red-link").first().click();
  await expect(page).toHaveURL(/\/red\/shop-payments\?from=.+&to=.+&alert=.+&long=\d+&short=\d+/);
  await expect(page.getByTestId("alert-mark")).toContainText("Burn-rate alert at");
  await expect(page.getByTestId("chart-errors").locator("line.recharts-reference-line-line")).toHaveCount(1);
  await expect(page.getByTestId("chart-errors").locator(".recharts-reference-area")).toHaveCount(2);
  expect(Number(await page.getByTestId("chart-errors").getAttribute("data-points"))).toBeGreaterThan(30);
  await shot(page, "red-alert");

  await page.goBack();
  await page.locator('[data-testid=alert][data-service="shop-payments"]').first().getByTestId("example-trace").first().click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
});
