package convert

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// tzMember matches the "$tz" member of a typed date in the inputs below.
var tzMember = regexp.MustCompile(`,\s*"\$tz":\s*-?[0-9]+`)

// TestDateTZDroppedInAMF3: a typed date's "$tz" written in AMF3 (bare
// AMF3 values, frames, a .sol file or a packet value of version 3,
// inside {"$amf3": ...}, a $vector, an ArrayCollection) is dropped, as
// AMF3 has no field for it: the bytes are those of the date without it,
// and one warning names the first by its JSON Pointer and the line and
// column of its "$tz", with a count when there are several. AMF0 writes
// it, without a word. Render (value model or direct writer) and RenderTo
// (streamed) agree.
func TestDateTZDroppedInAMF3(t *testing.T) {
	const why = `AMF3 dates have no time-zone field (AMF0 writes it)`
	one := func(at, where string) string {
		if at != "the top value" {
			at = `"` + at + `"`
		}
		return `the "$tz" of the date at ` + at + ` (` + where + `) is dropped: ` + why + `; the date is written without it`
	}
	const date = `{"$date": "2009-12-26T14:08:15.023Z", "$tz": 5}`
	for _, c := range []struct {
		in, to string
		warn   string // "" when "$tz" is written
	}{
		{`{"a": ` + date + `}`, "amf3", one("/a", "line 1, column 46")},
		{date, "amf3", one("the top value", "line 1, column 40")},
		{`{"a": ` + date + `}`, "amf0", ""},
		{`{"a": {"$date": 0, "$tz": 0}}`, "amf3", ""}, // 0 is what AMF3 reads back
		// Several, over JSON lines: the first in the text, and a count.
		{"[1,\n {\"$tz\": -60, \"$date\": 5}]\n{\"b\": [" + date + "]}", "amf3",
			`2 dates' "$tz" are dropped (the first at "/1", line 2, column 4): ` + why + `; each date is written without it`},
		{`[1, {"$amf3": {"x~/": ` + date + `}}]`, "amf0", one("/1/$amf3/x~0~1", "line 1, column 62")},
		{`{"v": {"$vector": "object", "fixed": false, "items": [` + date + `]}}`, "amf0", one("/v/items/0", "line 1, column 94")},
		{`{"$class": "flex.messaging.io.ArrayCollection", "source": [` + date + `]}`, "amf0", one("/source/0", "line 1, column 99")},
		// An externalizable class whose members do not fit it is an AMF0
		// typed object, which keeps "$tz"; one that fits goes through the
		// switch, as the encoder decides.
		{`{"$class": "flex.messaging.io.ArrayCollection", "x": ` + date + `}`, "amf0", ""},
		{`{"$class": "flex.messaging.io.ArrayCollection", "x": [1, {"$class": "flex.messaging.io.ObjectProxy", "object": {"d": ` + date + `}}]}`, "amf0",
			one("/x/1/object/d", "line 1, column 157")},
		{`{"$class": "DSK", "body": [` + date + `]}`, "amf0", one("/body/0", "line 1, column 67")},
		{`{"$class": "DSK", "bodyx": [` + date + `]}`, "amf0", ""},
		{date + "\n" + date, "socket", `2 dates' "$tz" are dropped (the first at the top value, line 1, column 40): ` + why + `; each date is written without it`},
		{`{"sol": "s", "version": 3, "data": {"d": ` + date + `}}`, "sol", one("/data/d", "line 1, column 81")},
		{`{"sol": "s", "version": 0, "data": {"d": ` + date + `}}`, "sol", ""},
		{`{"version": 3, "messages": [{"target": "t", "response": "/1", "value": [` + date + `]}]}`, "packet", one("/messages/0/value/0", "line 1, column 112")},
		{`{"version": 3, "messages": [{"target": "t", "response": "/1", "value": {"d": ` + date + `}}]}`, "packet", one("/messages/0/value/d", "line 1, column 117")},
		{`{"version": 3, "messages": [{"target": "t", "response": "/1", "value": [` + date + `], "amf0": true}]}`, "packet", ""},
		{`{"version": 3, "messages": [{"value": [{"$amf3": 1}, ` + date + `], "target": "t", "response": "/1"}]}`, "packet", ""},
		{`{"version": 0, "messages": [{"target": "t", "response": "/1", "value": [` + date + `]}]}`, "packet", ""},
	} {
		var outs [2][]byte
		var warns [2][]string
		for i := range outs {
			src := &Source{Name: "in", Kind: KindJSON, Data: []byte(c.in)}
			o := &Options{Warn: func(m string) { warns[i] = append(warns[i], m) }}
			var err error
			if i == 0 {
				outs[i], err = src.Render(Target{Format: c.to}, o)
			} else {
				var buf bytes.Buffer
				var took bool
				took, err = src.RenderTo(&buf, Target{Format: c.to}, o)
				outs[i] = buf.Bytes()
				if !took && err == nil {
					outs[i], err = src.Render(Target{Format: c.to}, o) // not streamed
				}
			}
			if err != nil {
				t.Fatalf("%s to %s: %v", c.in, c.to, err)
			}
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s to %s: Render wrote %x, RenderTo %x", c.in, c.to, outs[0], outs[1])
		}
		want := []string{c.warn}
		if c.warn == "" {
			want = nil
		}
		for i, w := range warns {
			if strings.Join(w, "|") != strings.Join(want, "|") {
				t.Errorf("%s to %s (%d): warned %q\nwant %q", c.in, c.to, i, w, want)
			}
		}
		// The bytes: those of the same dates without "$tz" when it is
		// dropped; others when AMF0 writes it.
		bare := tzMember.ReplaceAllString(c.in, "")
		src := &Source{Name: "bare", Kind: KindJSON, Data: []byte(bare)}
		without, err := src.Render(Target{Format: c.to}, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		if kept := !bytes.Equal(outs[0], without); kept != (c.warn == "") && !strings.Contains(c.in, `"$tz": 0`) {
			t.Errorf("%s to %s: %x; without \"$tz\" %x (want them the same only when it is dropped)", c.in, c.to, outs[0], without)
		}
	}
}

// TestFromJSONWarnIn: a value read for AMF3 as a whole (call --amf3
// sends each argument through the switch) warns of every "$tz"; read
// for AMF0, or by FromJSONWarn, only of those inside {"$amf3": ...}.
// The value is the same, its dates' time zone kept.
func TestFromJSONWarnIn(t *testing.T) {
	in := []byte(`[{"$date": 1, "$tz": 5}, {"$amf3": {"$date": 2, "$tz": 6}}]`)
	for _, c := range []struct {
		ver  amf.Version
		want string
	}{
		{amf.AMF3, `2 dates' "$tz" are dropped (the first at "/0", line 1, column 16)`},
		{amf.AMF0, `the "$tz" of the date at "/1/$amf3" (line 1, column 50) is dropped`},
	} {
		var warns []string
		v, err := FromJSONWarnIn(in, c.ver, func(m string) { warns = append(warns, m) })
		if err != nil {
			t.Fatal(err)
		}
		if len(warns) != 1 || !strings.HasPrefix(warns[0], c.want) {
			t.Errorf("AMF%d: warned %q, want one starting %q", c.ver, warns, c.want)
		}
		a := v.(*amf.Array)
		if d := a.Dense[0].(*amf.Date); d.TZ != 5 {
			t.Errorf("AMF%d: the value's date has TZ %d", c.ver, d.TZ)
		}
	}
	var warns []string
	if _, err := FromJSONWarn(in, func(m string) { warns = append(warns, m) }); err != nil || len(warns) != 1 || !strings.Contains(warns[0], `"/1/$amf3"`) {
		t.Errorf("FromJSONWarn: %v, warned %q", err, warns)
	}
}

// TestPointerAt: the JSON Pointer of the value holding an offset, in
// its document of several, names escaped.
func TestPointerAt(t *testing.T) {
	text := []byte("1\n{\"a/b\": [0, {\"~\": {\"$tz\": 5}}]}")
	at := bytes.Index(text, []byte("5"))
	if got := pointerAt(text, at); got != "/a~1b/1/~0" {
		t.Errorf("pointerAt = %q", got)
	}
	if got := pointerAt(text, 0); got != "" {
		t.Errorf("pointerAt(0) = %q", got)
	}
	if got := pointerAt([]byte(`{"a":`), 1); got != "" {
		t.Errorf("pointerAt of invalid JSON = %q", got)
	}
}
