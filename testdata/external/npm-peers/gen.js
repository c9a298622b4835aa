// Writes the npm-peers files: each value of the matrix below encoded by
// the amfjs package (npm, AMF.js by ProjectCryo), with a .json beside
// each .amf0/.amf3 file saying what was asked for. Run from a folder
// where `npm install amfjs@1.3.1` was done:
//
//   NODE_PATH=/that/folder/node_modules node gen.js
//
// The test reads the committed files; it never runs this script.
// amf-js (the other package) only decodes AMF3, so it writes nothing here.
"use strict";
const fs = require("fs");
const path = require("path");
const amfjs = require("amfjs");

const version = require("amfjs/package.json").version;

function encode(value, amf) {
  const parts = [];
  const enc = new amfjs.AMFEncoder({ write: (b) => parts.push(Buffer.from(b)) });
  enc.writeObject(value, amf === 0 ? amfjs.AMF0 : amfjs.AMF3);
  return Buffer.concat(parts);
}

function obj(cls, fields) {
  const o = new amfjs.Serializable(cls);
  Object.assign(o, fields);
  return o;
}

const force = (v, t) => new amfjs.ForcedTypeValue(v, t);

// Each entry: the file name (without extension), the AMF version, the
// JavaScript value given to the encoder, and what it means in
// json-mapping.md's typed JSON ("typed") and plain JSON ("plain").
// "note" says what is special; a peer's own mistake is said in PROVENANCE.md
// and in the test, not here.
const user = obj("com.example.User", { name: "Ann", age: 31 });
const shared = obj("", { x: 1 });
const sharedArr = [1, 2];
const d = new Date(1590796800123);
const many = Array.from({ length: 100 }, (_, i) => i);
const twenty = {};
for (let i = 0; i < 20; i++) twenty["k" + i] = i;
const twentyTyped = "{\"$ecma\":{" + Object.keys(twenty).map((k) => `"${k}":${twenty[k]}.0`).join(",") + "}}";

const matrix = [
  // AMF3 scalars
  ["amf3-undefined", 3, undefined, `{"$undefined":true}`, `null`],
  ["amf3-null", 3, null, `null`, `null`],
  ["amf3-false", 3, false, `false`, `false`],
  ["amf3-true", 3, true, `true`, `true`],
  ["amf3-int-0", 3, 0, `0`, `0`],
  ["amf3-int-127", 3, 127, `127`, `127`],
  ["amf3-int-128", 3, 128, `128`, `128`],
  ["amf3-int-16383", 3, 16383, `16383`, `16383`],
  ["amf3-int-16384", 3, 16384, `16384`, `16384`],
  ["amf3-int-2097151", 3, 2097151, `2097151`, `2097151`],
  ["amf3-int-2097152", 3, 2097152, `2097152`, `2097152`],
  ["amf3-int-max", 3, 268435455, `268435455`, `268435455`, "2^28-1, the largest int29"],
  ["amf3-int-2p28", 3, 268435456, `268435456.0`, `268435456`, "2^28, one past the int29 range"],
  ["amf3-int-2p29m1", 3, 536870911, `536870911.0`, `536870911`, "2^29-1"],
  ["amf3-int-123456789", 3, 123456789, `123456789`, `123456789`, "an int29 in the 4-byte form"],
  ["amf3-int-minus1", 3, -1, `-1`, `-1`],
  ["amf3-int-minus123456", 3, -123456, `-123456`, `-123456`, "a negative int29 (always the 4-byte form)"],
  ["amf3-int-min", 3, -268435456, `-268435456`, `-268435456`, "-2^28, the smallest int29"],
  ["amf3-int-min-forced", 3, force(-268435456, amfjs.AMF3.INTEGER), `-268435456`, `-268435456`, "-2^28 forced to the integer type"],
  ["amf3-int-below-min", 3, -268435457, `-268435457.0`, `-268435457`],
  ["amf3-double-3.5", 3, 3.5, `3.5`, `3.5`],
  ["amf3-double-forced-5", 3, force(5, amfjs.AMF3.DOUBLE), `5.0`, `5`, "an integral number forced to a double"],
  ["amf3-double-2p53", 3, 9007199254740992, `9007199254740992.0`, `9007199254740992`],
  ["amf3-double-minus0", 3, -0, `-0.0`, `-0`, "-0"],
  ["amf3-double-minus0-forced", 3, force(-0, amfjs.AMF3.DOUBLE), `-0.0`, `-0`, "-0 forced to a double"],
  ["amf3-double-nan", 3, NaN, `{"$double":"NaN"}`, `null`],
  ["amf3-double-inf", 3, Infinity, `{"$double":"Infinity"}`, `null`],
  ["amf3-double-neginf", 3, -Infinity, `{"$double":"-Infinity"}`, `null`],
  // AMF3 strings
  ["amf3-string-empty", 3, "", `""`, `""`],
  ["amf3-string-ascii", 3, "hello", `"hello"`, `"hello"`],
  ["amf3-string-bmp", 3, "caf\u00e9 \u30c6\u30b9\u30c8", `"caf\u00e9 \u30c6\u30b9\u30c8"`, `"caf\u00e9 \u30c6\u30b9\u30c8"`],
  ["amf3-string-astral", 3, "\u{1F600}\u{1D11E}", `"\u{1F600}\u{1D11E}"`, `"\u{1F600}\u{1D11E}"`],
  ["amf3-string-refs", 3, ["foo", "foo", "bar", "foo", "bar"], `["foo","foo","bar","foo","bar"]`, `["foo","foo","bar","foo","bar"]`, "repeated strings: references"],
  // AMF3 dates, arrays, objects
  ["amf3-date", 3, d, `{"$date":"2020-05-30T00:00:00.123Z"}`, `"2020-05-30T00:00:00.123Z"`],
  ["amf3-date-refs", 3, [d, d], `[{"$id":1,"$date":"2020-05-30T00:00:00.123Z"},{"$ref":1}]`, `["2020-05-30T00:00:00.123Z","2020-05-30T00:00:00.123Z"]`, "one Date twice: a reference"],
  ["amf3-array-dense", 3, [1, "a", true, null, 2.5], `[1,"a",true,null,2.5]`, `[1,"a",true,null,2.5]`],
  ["amf3-array-empty", 3, [], `[]`, `[]`],
  ["amf3-array-100", 3, many, JSON.stringify(many), JSON.stringify(many), "a dense array of 100 ints (count above 63)"],
  ["amf3-array-assoc", 3, { a: 1, b: "two" }, `{"$assoc":{"a":1,"b":"two"},"$dense":[]}`, `{"a":1,"b":"two"}`, "a plain JS object: an associative-only array"],
  ["amf3-array-assoc-string-ref", 3, { a: "x", b: "x" }, `{"$assoc":{"a":"x","b":"x"},"$dense":[]}`, `{"a":"x","b":"x"}`, "a repeated string value after keys"],
  ["amf3-object-anon", 3, obj("", { a: 1, b: "two" }), `{"a":1,"b":"two"}`, `{"a":1,"b":"two"}`, "anonymous dynamic object (Serializable without class)"],
  ["amf3-object-typed", 3, user, `{"$class":"com.example.User","name":"Ann","age":31}`, `{"name":"Ann","age":31}`, "typed sealed object"],
  ["amf3-object-typed-twice", 3, [user, obj("com.example.User", { name: "Bob", age: 40 })], `[{"$class":"com.example.User","name":"Ann","age":31},{"$class":"com.example.User","name":"Bob","age":40}]`, `[{"name":"Ann","age":31},{"name":"Bob","age":40}]`, "two objects of one class: traits written twice"],
  ["amf3-object-refs", 3, [shared, shared], `[{"$id":1,"x":1},{"$ref":1}]`, `[{"x":1},{"x":1}]`, "one object twice: a reference"],
  ["amf3-array-refs", 3, [sharedArr, sharedArr], `[{"$id":1,"$assoc":{},"$dense":[1,2]},{"$ref":1}]`, `[[1,2],[1,2]]`, "one array twice: a reference"],
  ["amf3-object-nested", 3, obj("", { inner: obj("", { s: "hello" }), list: [obj("com.example.User", { name: "C", age: 1 })] }), `{"inner":{"s":"hello"},"list":[{"$class":"com.example.User","name":"C","age":1}]}`, `{"inner":{"s":"hello"},"list":[{"name":"C","age":1}]}`],
  ["amf3-bytearray", 3, Buffer.from([0, 1, 2, 0xfe, 0xff]), `{"$bytes":"AAEC/v8="}`, `"AAEC/v8="`],
  ["amf3-bytearray-refs", 3, [Buffer.from("ab"), null], null, null, "placeholder, replaced below"],
  // AMF0
  ["amf0-undefined", 0, undefined, `{"$undefined":true}`, `null`],
  ["amf0-null", 0, null, `null`, `null`],
  ["amf0-true", 0, true, `true`, `true`],
  ["amf0-number-0", 0, 0, `0.0`, `0`],
  ["amf0-number-3.5", 0, 3.5, `3.5`, `3.5`],
  ["amf0-number-2p28", 0, 268435456, `268435456.0`, `268435456`],
  ["amf0-number-minus0", 0, -0, `-0.0`, `-0`],
  ["amf0-number-nan", 0, NaN, `{"$double":"NaN"}`, `null`],
  ["amf0-number-inf", 0, Infinity, `{"$double":"Infinity"}`, `null`],
  ["amf0-number-neginf", 0, -Infinity, `{"$double":"-Infinity"}`, `null`],
  ["amf0-string-empty", 0, "", `""`, `""`],
  ["amf0-string-ascii", 0, "hello", `"hello"`, `"hello"`],
  ["amf0-string-bmp", 0, "caf\u00e9 \u30c6\u30b9\u30c8", `"caf\u00e9 \u30c6\u30b9\u30c8"`, `"caf\u00e9 \u30c6\u30b9\u30c8"`],
  ["amf0-string-astral", 0, "\u{1F600}\u{1D11E}", `"\u{1F600}\u{1D11E}"`, `"\u{1F600}\u{1D11E}"`],
  ["amf0-string-65535", 0, "a".repeat(65535), { repeat: ["a", 65535] }, null, "65535 bytes: the largest short string"],
  ["amf0-string-bmp-90000", 0, "\u30c6".repeat(30000), { repeat: ["\u30c6", 30000] }, null, "30000 BMP characters, 90000 bytes: a long string"],
  ["amf0-date", 0, d, `{"$date":"2020-05-30T00:00:00.123Z"}`, `"2020-05-30T00:00:00.123Z"`],
  ["amf0-strict-array", 0, [1, "a", true, null], `[1.0,"a",true,null]`, `[1,"a",true,null]`],
  ["amf0-strict-array-20", 0, Array.from({ length: 20 }, (_, i) => i), "[" + Array.from({ length: 20 }, (_, i) => i + ".0").join(",") + "]", JSON.stringify(Array.from({ length: 20 }, (_, i) => i)), "a strict array of 20 numbers"],
  ["amf0-ecma", 0, { a: 1, b: "two" }, `{"$ecma":{"a":1.0,"b":"two"}}`, `{"a":1,"b":"two"}`, "a plain JS object: an ECMA array"],
  ["amf0-ecma-20", 0, twenty, twentyTyped, JSON.stringify(twenty), "an ECMA array of 20 members"],
  ["amf0-object-anon", 0, obj("", { a: 1, b: "two" }), `{"a":1.0,"b":"two"}`, `{"a":1,"b":"two"}`],
  ["amf0-object-typed", 0, user, `{"$class":"com.example.User","name":"Ann","age":31.0}`, `{"name":"Ann","age":31}`],
  ["amf0-object-refs", 0, [shared, shared], `[{"$id":1,"x":1.0},{"$ref":1}]`, `[{"x":1},{"x":1}]`, "one object twice: a reference"],
  ["amf0-object-nested", 0, obj("", { inner: obj("", { s: "hello" }), list: [1, 2] }), `{"inner":{"s":"hello"},"list":[1.0,2.0]}`, `{"inner":{"s":"hello"},"list":[1,2]}`],
];

// A ByteArray referenced twice.
const ba = Buffer.from("ab");
matrix[matrix.findIndex((m) => m[0] === "amf3-bytearray-refs")] =
  ["amf3-bytearray-refs", 3, [ba, ba], `[{"$id":1,"$bytes":"YWI="},{"$ref":1}]`, `["YWI=","YWI="]`, "one ByteArray twice: a reference"];

const dir = __dirname;
for (const [name, amf, value, typed, plain, note] of matrix) {
  const file = `amfjs-${name}.amf${amf}`;
  let bytes;
  const meta = { encoder: `amfjs ${version}`, amf, file };
  if (note) meta.note = note;
  if (typeof typed === "string") {
    meta.typed = typed;
    meta.plain = plain;
  } else {
    // A long string: its text is "repeat" [text, count] (typed and plain alike).
    meta.repeat = typed.repeat;
  }
  try {
    bytes = encode(value, amf);
  } catch (e) {
    meta.encoderError = String(e);
    fs.writeFileSync(path.join(dir, `amfjs-${name}.json`), JSON.stringify(meta, null, 1) + "\n");
    console.log(`${file}: the encoder fails: ${e}`);
    continue;
  }
  fs.writeFileSync(path.join(dir, file), bytes);
  meta.hex = bytes.length <= 256 ? bytes.toString("hex") : undefined;
  fs.writeFileSync(path.join(dir, `amfjs-${name}.json`), JSON.stringify(meta, null, 1) + "\n");
  console.log(`${file}: ${bytes.length} bytes`);
}

// amf-js 1.0.4 (npm; Mike Smullin) decodes only: its test
// (test/everything.js) states what 16 short AMF3 inputs decode to. They
// are kept here as amf-js-test-NAME.amf3 with the same kind of .json
// ("source" in place of "encoder"; "typed"/"plain" say what the test
// states, in json-mapping.md's terms).
const amfJSTests = [
  ["int-6", "04 06", `6`, `6`],
  ["int-2p28m1", "04 bf ff ff ff", `268435455`, `268435455`],
  ["int-2p29m1", "04 ff ff ff ff", `536870911`, `536870911`, "the test says 2^29-1: it reads the U29 unsigned"],
  ["string-hi", "06 05 68 69", `"hi"`, `"hi"`],
  ["string-utf8", "06 13 e2 91 a5 e2 91 a5 e2 91 a5", `"\u2465\u2465\u2465"`, `"\u2465\u2465\u2465"`],
  ["object-him", "0a 0b 01 07 68 69 6d 04 03 01", `{"him":3}`, `{"him":3}`],
  ["object-string-ref", "0a 0b 01 05 68 69 06 00 01", `{"hi":"hi"}`, `{"hi":"hi"}`, "the value is a reference to the key"],
  ["undefined", "00", `{"$undefined":true}`, `null`],
  ["null", "01", `null`, `null`],
  ["false", "02", `false`, `false`],
  ["true", "03", `true`, `true`],
  ["double-15.24", "05 40 2e 7a e1 47 ae 14 7b", `15.24`, `15.24`],
  ["date", "08 01 42 75 5f a3 77 83 20 00", `{"$date":"${new Date(1468781787186).toISOString()}"}`, `"${new Date(1468781787186).toISOString()}"`, "getTime() 1468781787186"],
  ["array", "09 09 01 04 01 04 02 04 03 04 04", `[1,2,3,4]`, `[1,2,3,4]`],
  ["object-self", "0a 0b 01 09 6e 75 6d 31 04 01 09 6f 62 6a 32 0a 01 09 6e 75 6d 32 04 02 01 09 73 65 6c 66 0a 00 01",
    `{"$id":1,"num1":1,"obj2":{"num2":2},"self":{"$ref":1}}`, `{"num1":1,"obj2":{"num2":2},"self":{"$ref":""}}`, "an object whose member self is itself; obj2 takes the first object's traits by reference"],
  ["bytearray", "0c 07 01 02 03", `{"$bytes":"AQID"}`, `"AQID"`],
];
for (const [name, hex, typed, plain, note] of amfJSTests) {
  const file = `amf-js-test-${name}.amf3`;
  const bytes = Buffer.from(hex.replace(/ /g, ""), "hex");
  const meta = { source: "amf-js 1.0.4 test/everything.js", amf: 3, file };
  if (note) meta.note = note;
  meta.typed = typed;
  meta.plain = plain;
  meta.hex = bytes.toString("hex");
  fs.writeFileSync(path.join(dir, file), bytes);
  fs.writeFileSync(path.join(dir, `amf-js-test-${name}.json`), JSON.stringify(meta, null, 1) + "\n");
  console.log(`${file}: ${bytes.length} bytes`);
}
