package amf

import (
	"errors"
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

// TestSwitchReplayBudget reads hostile values for SwitchReplay:
// references that go round 40 switches, each with a string table larger
// than what the Reader may keep (maxKeptTables, made small here), so
// that every reference rebuilds its switch's tables. The tables kept
// stay within maxKeptTables at every step, the bytes read again within
// replayBudget (and one switch), and past it Replay fails with a
// *SyntaxError at the reference that wraps a *SwitchReplayError. With
// room for the tables (the default), the same value reads as a Reader
// of whole tables reads it.
func TestSwitchReplayBudget(t *testing.T) {
	var items, objs []any
	for k := 0; k < 40; k++ {
		o := &Object{Members: []Member{{Name: "k", Value: Int(k)}}}
		objs = append(objs, o)
		a := &Array{}
		for i := 0; i < 200; i++ {
			a.Dense = append(a.Dense, fmt.Sprintf("s%d-%d", k, i))
		}
		a.Dense = append(a.Dense, o)
		items = append(items, AVMPlus{Value: a})
	}
	for i := 0; i < 2000; i++ {
		items = append(items, AVMPlus{Value: objs[i%40]})
	}
	data, err := Marshal(&Array{Dense: items}, AMF0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("room", func(t *testing.T) {
		whole := NewReader(data, AMF0)
		want := readAll(t, whole)
		fresh := NewReader(data, AMF0)
		fresh.FreshSwitches, fresh.SwitchReplay = true, true
		got := readAll(t, fresh)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("tokens differ from a Reader of whole tables")
		}
		if len(fresh.tabs) != 40 {
			t.Errorf("%d tables kept, want the 40 switches' (they fit)", len(fresh.tabs))
		}
	})

	t.Run("over", func(t *testing.T) {
		defer func(n int) { maxKeptTables = n }(maxKeptTables)
		maxKeptTables = 4 << 10 // a switch's strings take about 4.8 KiB
		r := NewReader(data, AMF0)
		r.FreshSwitches, r.SwitchReplay = true, true
		refs := 0
		for {
			tk, err := r.NextToken()
			if err != nil {
				t.Fatalf("read to the end (%d references read again, %d bytes again): %v", refs, r.reread, err)
			}
			if r.tabsSize > maxKeptTables {
				t.Fatalf("%d bytes of tables kept, over %d", r.tabsSize, maxKeptTables)
			}
			if tk.Kind != KindRef {
				continue
			}
			at := tk.Offset
			err = r.Replay(*tk)
			if err == nil {
				refs++
				continue
			}
			var se *SyntaxError
			var be *SwitchReplayError
			if !errors.As(err, &se) || !errors.As(err, &be) {
				t.Fatalf("Replay: %v (%T), want a *SyntaxError of a *SwitchReplayError", err, err)
			}
			if se.Offset != at || be.At != at {
				t.Errorf("the error is at %d (%d), the reference at %d: %v", se.Offset, be.At, at, err)
			}
			if budget := replayBudget(len(data)); r.reread <= budget || r.reread > budget+len(data)/40 {
				t.Errorf("%d bytes read again, budget %d (input %d)", r.reread, budget, len(data))
			}
			if want := "a value shared across 0x11 switches needs the string and traits tables"; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
			if _, err := r.NextToken(); err == nil {
				t.Error("the Reader goes on after the error")
			}
			t.Logf("%d bytes, %d references read again, %d bytes again: %v", len(data), refs, r.reread, err)
			return
		}
	})
}

// TestSwitchMarks holds the Reader's compact marks (markEntry: counts
// since the mark before, whole every ckEvery marks, in bigD when they
// do not fit; objects found in the object table) to what each switch
// began with, as the Reader stood at its KindSwitch token: over more
// than ckEvery switches of varied sizes, one with 70,000 strings (the
// bigD path) and one with a class (traits) each.
func TestSwitchMarks(t *testing.T) {
	var items []any
	for i := 0; i < 300; i++ {
		a := &Array{}
		n := (i % 7) * 3
		if i == 150 {
			n = 70_000
		}
		for j := 0; j < n; j++ {
			a.Dense = append(a.Dense, fmt.Sprintf("s%d-%d", i, j))
		}
		a.Dense = append(a.Dense, &Object{Class: fmt.Sprintf("C%d", i%5), Members: []Member{{Name: "k", Value: Int(i)}}}, &Date{Ms: float64(i)})
		items = append(items, AVMPlus{Value: a})
	}
	data, err := Marshal(&Array{Dense: items}, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(data, AMF0)
	r.FreshSwitches, r.SwitchReplay = true, true
	var want []switchMark
	for {
		tk, err := r.NextToken()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatal(err)
		}
		if tk.Kind == KindSwitch {
			want = append(want, switchMark{uint32(tk.Offset), uint32(r.strOff), uint32(r.traitOff), uint32(r.objCount())})
		}
	}
	if r.nMarks != len(want) || len(want) != 300 || len(r.bigD) != 1 {
		t.Fatalf("%d marks, %d switches, %d in bigD", r.nMarks, len(want), len(r.bigD))
	}
	for i, w := range want {
		if got := r.mark(i); got != w {
			t.Errorf("mark %d = %+v, want %+v", i, got, w)
		}
	}
}
