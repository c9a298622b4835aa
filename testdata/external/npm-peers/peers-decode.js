// Has amfcall write each value of the npm-peers matrix (the typed JSON
// its .json states) and some more that amfjs cannot write, then reads the
// bytes with the peers' decoders (amfjs, amf-js for AMF3, node-amf's
// amf for AMF0) and prints each disagreement with the plain JSON. Not a
// test: run by hand, with the three packages installed and amfcall built:
//
//   AMFCALL=/path/to/amfcall NODE_PATH=/that/folder/node_modules node peers-decode.js
//
// A ByteArray that a peer gives as a list of numbers is the same value.
const fs = require("fs"), path = require("path"), cp = require("child_process");
const amfjs = require("amfjs"), AMFJS3 = require("amf-js"), nodeamf = require("amf");
const dir = __dirname.endsWith("npm-peers") ? __dirname : "/work/wt-npmpeer6/testdata/external/npm-peers";
const AMFCALL = process.env.AMFCALL || "amfcall";
const tmp = fs.mkdtempSync(path.join(require("os").tmpdir(), "peers-"));
function norm(v, seen = new Set()) {
  if (v === undefined) return null;
  if (v && typeof v === "object") { if (seen.has(v)) return { $ref: "" }; seen = new Set(seen).add(v); }
  if (typeof v === "number") { if (Object.is(v, -0)) return "-0"; if (!isFinite(v)) return null; return v; }
  if (v instanceof Date) return isNaN(v) ? "Invalid Date" : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString("base64");
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) {
    const keys = Object.keys(v).filter(k => !/^\d+$/.test(k));
    if (keys.length) { const o = {}; for (const k of Object.keys(v)) o[k] = norm(v[k], seen); return o; }
    return v.map(x => norm(x, seen));
  }
  if (v && typeof v === "object") { const o = {}; for (const k of Object.keys(v)) { if (k.startsWith("__")) continue; o[k] = norm(v[k], seen); } return o; }
  return v;
}
function plainNorm(p) { return JSON.parse(p, (k, v) => v); }
const out = [];
// Values amfjs cannot write: amfcall writes them, the peers read them.
const extra = [
  [3, `{"$xml":"<a b=\\"1\\"/>"}`, `"<a b=\\"1\\"/>"`],
  [3, `{"$xmldoc":"<a/>"}`, `"<a/>"`],
  [3, `{"$vector":"int","fixed":false,"items":[1,-2,268435456]}`, `[1,-2,268435456]`],
  [3, `{"$vector":"uint","fixed":false,"items":[1,4294967295]}`, `[1,4294967295]`],
  [3, `{"$vector":"double","fixed":false,"items":[1.5,-0.0]}`, `[1.5,"-0"]`],
  [3, `{"$vector":"object","type":"","fixed":false,"items":[{"a":1}]}`, `[{"a":1}]`],
  [3, `{"$dictionary":[["k",1]],"weakKeys":false}`, `[["k",1]]`],
  [3, `{"$assoc":{"k":"v"},"$dense":[1,2]}`, `{"0":1,"1":2,"k":"v"}`],
  [3, `[{"$class":"com.example.User","name":"A","age":1},{"$class":"com.example.User","name":"B","age":2}]`, `[{"name":"A","age":1},{"name":"B","age":2}]`],
  [3, `["x","x",{"x":"x"}]`, `["x","x",{"x":"x"}]`],
  [3, `{"$double":"0x7FF4000000000001"}`, `null`],
  [0, `[]`, `[]`],
  [0, `[[],[]]`, `[[],[]]`],
  [0, `{"$amf3":{"$bytes":"AQID"}}`, `"AQID"`],
  [0, `{"$amf3":[1,2]}`, `[1,2]`],
  [0, `{"$xmldoc":"<a/>"}`, `"<a/>"`],
  [0, `{"$date":"2020-05-30T00:00:00.123Z","$tz":240}`, `"2020-05-30T00:00:00.123Z"`],
  [0, `{"$unsupported":true}`, `null`],
  [0, JSON.stringify("\u30c6".repeat(30000)), JSON.stringify("\u30c6".repeat(30000))],
  [0, `{"$ecma":{"0":"a","1":"b"}}`, `{"0":"a","1":"b"}`],
];
extra.forEach(([amf, typed, plain], i) => fs.writeFileSync(path.join(tmp, `extra-${i}.json`), JSON.stringify({ amf, file: `extra-${i}: ${typed.slice(0, 60)}`, typed, plain })));
const metas = fs.readdirSync(dir).filter(f => f.endsWith(".json")).map(f => [f, JSON.parse(fs.readFileSync(path.join(dir, f)))]);
for (const f of fs.readdirSync(tmp).filter(f => f.startsWith("extra-"))) metas.push([f, JSON.parse(fs.readFileSync(path.join(tmp, f)))]);
for (const [f, m] of metas) {
  let typed = m.typed, plain = m.plain;
  if (m.repeat) { typed = plain = JSON.stringify(m.repeat[0].repeat(m.repeat[1])); }
  const jf = path.join(tmp, f);
  fs.writeFileSync(jf, typed);
  let bytes;
  try { bytes = cp.execFileSync(AMFCALL, ["convert", "--to", "amf" + m.amf, jf], { stdio: ["ignore", "pipe", "pipe"] }); }
  catch (e) { out.push(`${f}: amfcall fails: ${e.stderr}`); continue; }
  fs.writeFileSync(jf.replace(/\.json$/, ".amf" + m.amf), bytes);
  let want = plainNorm(plain);
  if (plain === "-0") want = "-0";
  const res = {};
  // amfjs decoder
  try {
    const stream = new (require("stream").PassThrough)(); stream.end(bytes);
    const dec = new amfjs.AMFDecoder(stream);
    const v = dec.decode(m.amf === 0 ? amfjs.AMF0 : amfjs.AMF3);
    res.amfjs = norm(v);
  } catch (e) { res.amfjs = "ERROR " + String(e).slice(0, 120); }
  if (m.amf === 3) {
    try { const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length); res["amf-js"] = norm(AMFJS3.deserialize(ab)); }
    catch (e) { res["amf-js"] = "ERROR " + String(e).slice(0, 120); }
  } else {
    try { res["node-amf"] = norm(nodeamf.read(bytes, 0)); } catch (e) { res["node-amf"] = "ERROR " + String(e).slice(0, 120); }
  }
  for (const [peer, got] of Object.entries(res)) {
    const g = JSON.stringify(got), w = JSON.stringify(want);
    if (g !== w) out.push(`${m.file} [${bytes.toString("hex").slice(0, 60)}] ${peer}: got ${String(g).slice(0, 160)} want ${w.slice(0, 160)}`);
  }
}
console.log(out.join("\n"));
fs.rmSync(tmp, { recursive: true, force: true });
