// DuckDB reads GET /query/parquet (docs/behaviour.md §15.4), through @duckdb/node-api. DuckDbReadsQueryParquetIT
// starts a server from the built jar with authentication on and runs this script; it exits non-zero on the
// first failed check.
//
//   VXDATA_URL    the server, e.g. http://127.0.0.1:40123
//   VXDATA_TOKEN  a bearer token (the admin's)
//
// DuckDB reads http:// URLs with its httpfs extension, which DuckDB downloads on first use from its own
// extension server. Where that download works, the script reads the export by URL exactly as the README
// shows (read_parquet('http://…/query/parquet?…') with the token in an http secret's EXTRA_HTTP_HEADERS).
// Where it does not (no network: CI here), it says so and makes httpfs's requests itself instead — HEAD
// (200 and no Content-Length, so that httpfs fetches the file whole), then one GET with the Authorization
// header the secret would add — and has DuckDB read the bytes that GET answered. Either way DuckDB reads
// the server's file, and the rows are checked.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const base = required("VXDATA_URL");
const token = required("VXDATA_TOKEN");
const auth = { Authorization: `Bearer ${token}` };

let passed = 0;
async function check(name, body) {
  process.stdout.write(`- ${name} ... `);
  await body();
  passed++;
  console.log("ok");
}

async function post(path, body) {
  const r = await fetch(base + path, { method: "POST", headers: { ...auth, "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${path}: ${await r.text()}`);
}

await post("/resources/create", { resources: [
  { identifier: "clinic-a", payload_type: "datasource", name: "Clinic A" },
  { identifier: "pt-1", payload_type: "patient", parent_identifier: "clinic-a", external_uid: "p-1" }] });
await post("/resources/create", { resources: [
  { identifier: "st-1", payload_type: "study", parent_identifier: "pt-1", external_uid: "s-1", study_date: "2024-03-01", modality: "MR" },
  { identifier: "st-2", payload_type: "study", parent_identifier: "pt-1", external_uid: "s-2", study_date: "2023-11-20", modality: "MR" },
  { identifier: "st-3", payload_type: "study", parent_identifier: "pt-1", external_uid: "s-3", study_date: "2024-05-02", modality: "CT" },
  { identifier: "st-4", payload_type: "study", parent_identifier: "pt-1", external_uid: "s-4", study_date: "2024-07-15", modality: "MR" }] });

const url = `${base}/query/parquet?payload_type=study&modality=eq.MR&study_date=gte.2024-01-01`
  + "&select=modality,study_date&order=study_date.asc";
const expected = [["st-1", "MR", "2024-03-01"], ["st-4", "MR", "2024-07-15"]];
const select = "SELECT identifier, modality, CAST(study_date AS VARCHAR) AS day FROM read_parquet('%s') ORDER BY day";

const db = await DuckDBInstance.create(":memory:");
const duck = await db.connect();

async function rows(sql) {
  return (await duck.runAndReadAll(sql)).getRows().map((r) => r.map(String));
}

async function httpfs() {
  try {
    await duck.run("LOAD httpfs");
    return true;
  } catch {
    try {
      await duck.run("INSTALL httpfs");
      await duck.run("LOAD httpfs");
      return true;
    } catch (e) {
      console.log(`httpfs is not available here (${e.message.split("\n")[0]})`);
      return false;
    }
  }
}

if (await httpfs()) {
  console.log("httpfs loaded: DuckDB reads the export by URL");
  await check("without a token, DuckDB's read is refused", async () => {
    await assert.rejects(duck.run(select.replace("%s", url)), /401/);
  });
  await check("with the token in an http secret, read_parquet(URL) reads the rows", async () => {
    await duck.run(`CREATE SECRET vxdata (TYPE http, SCOPE '${base}', EXTRA_HTTP_HEADERS MAP {'Authorization': 'Bearer ${token}'})`);
    assert.deepEqual(await rows(select.replace("%s", url)), expected);
  });
} else {
  console.log("making httpfs's requests instead: HEAD, then one GET of the whole file");
  await check("without a token the export is refused", async () => {
    assert.equal((await fetch(url)).status, 401);
  });
  await check("HEAD answers 200 without a length, so httpfs fetches the file whole", async () => {
    const head = await fetch(url, { method: "HEAD", headers: auth });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), null);
    assert.match(head.headers.get("vxdata-as-of"), /^\d{4}-\d\d-\d\dT/);
  });
  await check("DuckDB reads the rows of the file the GET answers", async () => {
    const get = await fetch(url, { headers: auth });
    assert.equal(get.status, 200);
    const file = join(mkdtempSync(join(tmpdir(), "vxdata-duckdb-")), "study.parquet");
    writeFileSync(file, Buffer.from(await get.arrayBuffer()));
    assert.deepEqual(await rows(select.replace("%s", file)), expected);
  });
}
await check("an invalid query is a 400 before any byte of a file", async () => {
  const r = await fetch(`${base}/query/parquet?payload_type=study&modality=MR`, { headers: auth });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /modality=eq\.MR/);
});

duck.closeSync();
console.log(`${passed} passed, 0 failed`);

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}
