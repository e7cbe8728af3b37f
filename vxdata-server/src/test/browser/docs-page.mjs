// The docs page (GET /docs) in a real headless Chromium, driven by Playwright (playwright-core, with
// Debian's chromium: no browser download). DocsPageBrowserIT starts two servers from the built jar
// and runs this script; it exits non-zero on the first failed check.
//
//   DOCS_URL  the server whose page is tested, e.g. http://127.0.0.1:40123
//   CORS_URL  a second server, started with --cors-origins DOCS_URL's origin
//   CHROMIUM  the browser (default /usr/bin/chromium)
//
// Checks: / redirects to /docs; the page loads with no console error, no page error and no failed
// request; it lists every operation of /openapi.json; "Try it out" on POST /resources/create and
// GET /datasources/stats succeeds against the server; a cross-origin request from the page's
// origin to CORS_URL succeeds with its exposed headers readable; and the same request to a server
// without CORS is blocked by the browser.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const docsUrl = required("DOCS_URL");
const corsUrl = required("CORS_URL");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0;
async function check(name, body) {
  process.stdout.write(`- ${name} ... `);
  await body();
  passed++;
  console.log("ok");
}

const browser = await chromium.launch({
  executablePath,
  // Root has no sandbox; the rest keep Chromium from calling out to a network this machine does not have.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  const document = await (await fetch(`${docsUrl}/openapi.json`)).json();
  const operations = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const method of Object.keys(methods)) operations.push(`${method.toUpperCase()} ${path}`);
  }

  await check("GET / redirects to the docs page, which renders every operation of /openapi.json", async () => {
    const answer = await page.goto(`${docsUrl}/`);
    assert.equal(answer.status(), 200);
    assert.equal(new URL(page.url()).pathname, "/docs");
    await page.locator(".opblock").first().waitFor();
    await page.locator(".info .title", { hasText: "VxData" }).waitFor();
    assert.equal(await page.locator(".errors-wrapper").count(), 0,
      `Swagger UI reports problems with the document: ${await page.locator(".errors-wrapper").allTextContents()}`);
    const listed = await page.$$eval(".opblock", (blocks) => blocks.map((b) =>
      `${b.querySelector(".opblock-summary-method").textContent} ${b.querySelector(".opblock-summary-path").getAttribute("data-path")}`));
    assert.deepEqual([...listed].sort(), [...operations].sort());
    assert.ok(operations.length >= 28, `the document lists ${operations.length} operations`);
    assert.ok(operations.includes("GET /metrics") && operations.includes("POST /s3/presign"), "the server's optional routes");
  });

  await check("Try it out: POST /resources/create with the example body answers 200", async () => {
    const answer = await tryItOut(page, "Resources", "postResourcesCreate");
    assert.equal(answer.status, "200");
    assert.match(answer.body, /"created": 2/);
    const read = await fetch(`${docsUrl}/resources/read`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identifiers: ["clinic-a", "scan-1"] }) });
    const resources = await read.json();
    assert.deepEqual(resources.map((r) => r.identifier), ["clinic-a", "scan-1"], "the server has what the page created");
  });

  await check("Try it out: GET /datasources/stats answers 200 with the datasource just created", async () => {
    const answer = await tryItOut(page, "Stats", "getDatasourcesStats");
    assert.equal(answer.status, "200");
    assert.match(answer.body, /"datasource_id": "clinic-a"/);
  });

  await check("the page made no console error, page error, failed request or 4xx/5xx", async () => {
    assert.deepEqual(problems, []);
  });

  await check(`a cross-origin POST from ${new URL(docsUrl).origin} to a server started with --cors-origins`, async () => {
    const answer = await page.evaluate(async (url) => {
      const r = await fetch(`${url}/resources/read`, { method: "POST",
        headers: { "Content-Type": "application/json", "X-Request-Id": "browser-cors-1" }, body: JSON.stringify({ identifiers: [] }) });
      return { status: r.status, asOf: r.headers.get("VxData-As-Of"), requestId: r.headers.get("X-Request-Id"), body: await r.text() };
    }, corsUrl);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.body, "[]");
    assert.match(answer.asOf ?? "", /^\d{4}-\d\d-\d\dT/, "VxData-As-Of is exposed to the page");
    assert.equal(answer.requestId, "browser-cors-1", "X-Request-Id is exposed to the page");
  });

  await check("the same request to a server without --cors-origins is blocked by the browser", async () => {
    const other = await browser.newPage();
    await other.goto(`${corsUrl}/health`);
    const outcome = await other.evaluate(async (url) => {
      try {
        await fetch(`${url}/resources/read`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{\"identifiers\": []}" });
        return "answered";
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    }, docsUrl);
    assert.match(outcome, /^TypeError/);
    await other.close();
  });
} finally {
  await browser.close();
}
console.log(`${passed} passed, 0 failed`);

/** Opens an operation, presses "Try it out" and "Execute" (the example body is filled in), and reads the answer. */
async function tryItOut(page, tag, operationId) {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator(".opblock-summary-control").click();
  await block.locator("button.try-out__btn").click();
  await block.locator("button.execute").click();
  const row = block.locator(".live-responses-table tr.response").first();
  await row.waitFor();
  return {
    status: (await row.locator(".response-col_status").textContent()).trim(),
    body: await row.locator(".response-col_description pre").first().textContent(),
  };
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`docs-page.mjs: set ${name}`);
    process.exit(2);
  }
  return value.replace(/\/$/, "");
}
