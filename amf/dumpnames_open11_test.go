package amf_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpNamesOpen11: the JSON dump's paths name a member whose name is
// not UTF-8 by the text the caller's decoder gives (amf.DumpNames, as
// amfcall dump gives its --charset), through WriteDumpJSON and
// Dump.MarshalJSON alike; UTF-8 and CESU-8 names never reach the
// decoder; the ranges' text keeps the bytes. Without a decoder the path
// holds the bytes, as before.
func TestDumpNamesOpen11(t *testing.T) {
	// An AMF0 object {"caf\xe9": {"ok": 1, "\xed\xa0\xbd\xed\xb8\x80": 2}}:
	// a windows-1252 name, a UTF-8 one and a CESU-8 one (U+1F600).
	data := mustHexT(t, `03 0004 "caf" e9 03 0002 "ok" 00 3ff0000000000000 0006 eda0bdedb880 00 4000000000000000 000009 000009`)
	var asked []string
	dec := func(b []byte) string {
		asked = append(asked, string(b))
		return "café"
	}
	var buf bytes.Buffer
	if err := amf.WriteDumpJSON(&buf, data, amf.DumpAMF0, false, amf.DumpNames(dec)); err != nil {
		t.Fatal(err)
	}
	paths, texts := pathsOf(t, buf.Bytes())
	for _, want := range []string{"/café", "/café/ok", "/café/\U0001F600"} {
		if !paths[want] {
			t.Errorf("no range has path %q: %v", want, paths)
		}
	}
	for _, a := range asked {
		if a != "caf\xe9" {
			t.Errorf("the decoder was asked for %q", a)
		}
	}
	if len(asked) == 0 || !strings.Contains(texts, `name \"caf\\xe9\"`) {
		t.Errorf("decoder asked %q; the ranges' text should keep the bytes: %s", asked, texts)
	}

	dm := amf.NewDump(data, amf.DumpAMF0)
	dm.Names = dec
	js, err := json.Marshal(dm)
	if err != nil || !bytes.Equal(append(js, '\n'), buf.Bytes()) {
		t.Errorf("MarshalJSON with Names differs (%v):\n%s\n%s", err, js, buf.Bytes())
	}

	buf.Reset()
	if err := amf.WriteDumpJSON(&buf, data, amf.DumpAMF0, false); err != nil {
		t.Fatal(err)
	}
	if paths, _ := pathsOf(t, buf.Bytes()); !paths["/caf\uFFFD"] || paths["/café"] {
		t.Errorf("without a decoder: %v", paths)
	}
}

// pathsOf returns the paths of a JSON dump's ranges, and their texts in
// one string (as JSON).
func pathsOf(t *testing.T, doc []byte) (map[string]bool, string) {
	t.Helper()
	var d struct{ Ranges []pathRange }
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	paths := map[string]bool{}
	var texts []string
	for _, r := range d.Ranges {
		if r.Path != nil {
			paths[*r.Path] = true
		}
		q, _ := json.Marshal(r.Text)
		texts = append(texts, string(q))
	}
	return paths, strings.Join(texts, " ")
}
