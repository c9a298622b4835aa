package amf

import (
	"fmt"
	"strings"
	"testing"
)

// readAll reads the value of r as plain JSON does: each reference read
// again (Replay), a reference to a value being read (a cycle) noted and
// not followed. It returns the tokens as text (StrIndex aside).
func readAll(t *testing.T, r *Reader) []string {
	t.Helper()
	var out []string
	type key struct {
		v Version
		i int
	}
	var open []key // each open container's table and index
	for {
		tk, err := r.NextToken()
		if err != nil {
			if err.Error() == "EOF" {
				return out
			}
			t.Fatal(err)
		}
		switch {
		case tk.Kind == KindRef:
			cycle := false
			for _, i := range open {
				cycle = cycle || i == key{tk.Version, tk.Index}
			}
			if cycle {
				out = append(out, fmt.Sprintf("cycle %d", tk.Index))
				continue
			}
			if err := r.Replay(*tk); err != nil {
				t.Fatal(err)
			}
			continue
		case tk.Kind >= KindObject && tk.Kind <= KindDictionary:
			open = append(open, key{tk.Version, tk.Index})
		case tk.Kind == KindEnd:
			open = open[:len(open)-1]
		}
		out = append(out, fmt.Sprintf("%v %q %d", tk.Kind, tk.Bytes, tk.Index))
	}
}

// TestSwitchReplay reads values whose AMF3 objects are used again from
// later switches with FreshSwitches and SwitchReplay, and holds the
// tokens to those of a Reader that keeps whole tables; and holds the
// bytes read again to rebuild switches' tables to the bound crossReplay
// gives: at most three reads of the input in all.
func TestSwitchReplay(t *testing.T) {
	obj := func(i int) *Object {
		return &Object{Class: "P", Members: []Member{{Name: "name", Value: fmt.Sprintf("item-%d", i)}, {Name: "tag", Value: "t"}}}
	}
	// Round robin: 40 switches of an object each, then 400 references
	// going round them (more than keptTabs: tables let go and rebuilt,
	// until the bytes read again pass the input's length).
	var objs, round []any
	for i := 0; i < 40; i++ {
		objs = append(objs, obj(i))
	}
	for i := 0; i < 400; i++ {
		round = append(round, AVMPlus{Value: objs[i%40]})
	}
	// Chain: each switch uses the object of the one before.
	var chain []any
	for i := 0; i < 200; i++ {
		chain = append(chain, AVMPlus{Value: &Array{Dense: []any{objs[i%40], obj(1000 + i)}}})
	}
	loop := obj(7)
	loop.Members = append(loop.Members, Member{Name: "self", Value: loop})
	for name, v := range map[string]*Array{
		"round robin": {Dense: round},
		"chain":       {Dense: chain},
		"cycle":       {Dense: []any{AVMPlus{Value: loop}, AVMPlus{Value: obj(1)}, AVMPlus{Value: &Array{Dense: []any{loop}}}}},
	} {
		data, err := Marshal(v, AMF0)
		if err != nil {
			t.Fatal(err)
		}
		whole := NewReader(data, AMF0)
		whole.DenseFirst = true
		want := readAll(t, whole)
		fresh := NewReader(data, AMF0)
		fresh.DenseFirst, fresh.FreshSwitches, fresh.SwitchReplay = true, true, true
		got := readAll(t, fresh)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: tokens\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if fresh.nMarks < 3 || fresh.reread == 0 {
			t.Errorf("%s: %d switches, %d bytes read again: not the shape under test", name, fresh.nMarks, fresh.reread)
		}
		if fresh.reread > 2*len(data) {
			t.Errorf("%s: %d bytes read again for an input of %d", name, fresh.reread, len(data))
		}
		t.Logf("%s: %d bytes, %d read again, %d tables kept", name, len(data), fresh.reread, len(fresh.tabs))
	}
}
