package amf

import (
	"io"
	"slices"
	"strconv"
	"testing"
)

// traitsCase is the traits of a table entry as a test expects them.
type traitsCase struct {
	class    string
	sealed   []string
	dyn, ext bool
}

// traitsMixInput is an AMF3 array of n objects of distinct traits of
// four forms (class "C" and a name of their own; anonymous and dynamic,
// no name; class "C", a name of their own and "C" by reference; the Flex
// ArrayCollection wrapper, externalizable, again inline each time),
// then objects that refer to the traits of refs. It gives the traits of
// each entry and, per object in order, its entry.
func traitsMixInput(n int, refs []int) ([]byte, []traitsCase, []int) {
	in := AppendU29([]byte{m3Array}, uint32(n+len(refs))<<1|1)
	in = append(in, 0x01)
	var want []traitsCase
	var objs []int
	wrapper := ClassArrayCollection
	strs := map[string]int{}
	str := func(s string) {
		if i, ok := strs[s]; ok {
			in = AppendU29(in, uint32(i)<<1)
			return
		}
		if s != "" {
			strs[s] = len(strs)
		}
		in = AppendU29(in, uint32(len(s))<<1|1)
		in = append(in, s...)
	}
	// The members (or the wrapper's value) of an object of the traits
	// of entry i: small integers.
	body := func(i int) {
		tc := want[i]
		if tc.ext {
			in = append(in, m3Integer, byte(i&0x3F))
			return
		}
		for range tc.sealed {
			in = append(in, m3Integer, byte(i&0x3F))
		}
		if tc.dyn {
			str("d")
			in = append(in, m3Integer, 1, 0x01)
		}
	}
	for i := range n {
		name := "n" + strconv.Itoa(i)
		in = append(in, m3Object)
		switch i % 4 {
		case 0:
			in = append(in, 1<<4|0x03)
			str("C")
			str(name)
			want = append(want, traitsCase{class: "C", sealed: []string{name}})
		case 1:
			in = append(in, 0x0b)
			str("")
			want = append(want, traitsCase{dyn: true})
		case 2:
			in = append(in, 2<<4|0x03)
			str("C")
			str(name)
			str("C")
			want = append(want, traitsCase{class: "C", sealed: []string{name, "C"}})
		case 3:
			in = append(in, 0x07)
			str(wrapper)
			want = append(want, traitsCase{class: wrapper, ext: true})
		}
		objs = append(objs, i)
		body(i)
	}
	for _, i := range refs {
		in = AppendU29(append(in, m3Object), uint32(i)<<2|1)
		objs = append(objs, i)
		body(i)
	}
	return in, want, objs
}

func traitsEqual(t *Traits, tc traitsCase) bool {
	return t.Class == tc.class && t.Dynamic == tc.dyn && t.Externalizable == tc.ext && slices.Equal(t.Sealed, tc.sealed)
}

// TestTraitsIndex: an object whose traits the Reader reads again (past
// traitFast, without KeepTraits) says their table index in
// Token.TraitsIndex, given inline or by reference, and no other does;
// ReadBatch leaves such objects to NextToken; TraitsLen and TraitsEntry
// give every entry's class, names and flags, kept or not.
func TestTraitsIndex(t *testing.T) {
	n := traitFast + 2*strBigChunk + 5
	refs := []int{0, 1, 3, traitFast - 1, traitFast, traitFast + 1, traitFast + 3, n - 1, traitFast + strBigChunk}
	in, want, objs := traitsMixInput(n, refs)
	for _, keep := range []bool{false, true} {
		for _, batch := range []bool{false, true} {
			r := NewReader(in, AMF3)
			r.KeepTraits = keep
			bt := make([]BatchToken, 64)
			k := 0 // objects met
			for {
				if batch {
					m := r.ReadBatch(bt)
					for _, d := range bt[:m] {
						if d.Kind != KindObject {
							continue
						}
						i := objs[k]
						if !keep && i >= traitFast {
							t.Fatalf("keep %v: object %d (traits %d) in a batch", keep, k, i)
						}
						if !traitsEqual(d.Traits, want[i]) {
							t.Fatalf("keep %v: batch object %d: %+v, want %+v", keep, k, *d.Traits, want[i])
						}
						k++
					}
					if m > 0 {
						continue
					}
				}
				tk, err := r.NextToken()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("keep %v batch %v: %v", keep, batch, err)
				}
				if tk.Kind != KindObject {
					continue
				}
				i := objs[k]
				wantIdx := 0
				if !keep && i >= traitFast {
					wantIdx = i + 1
				}
				if tk.TraitsIndex != wantIdx || !traitsEqual(tk.Traits, want[i]) {
					t.Fatalf("keep %v batch %v: object %d: TraitsIndex %d, %+v; want %d, %+v", keep, batch, k, tk.TraitsIndex, *tk.Traits, wantIdx, want[i])
				}
				k++
			}
			if k != len(objs) {
				t.Fatalf("keep %v batch %v: %d objects, want %d", keep, batch, k, len(objs))
			}
			if r.TraitsLen() != n {
				t.Fatalf("TraitsLen %d, want %d", r.TraitsLen(), n)
			}
			var names [][]byte
			for i := range n {
				class, sealed, dyn, ext, ok := r.TraitsEntry(i, names)
				names = sealed
				got := traitsCase{class: string(class), dyn: dyn, ext: ext}
				for _, s := range sealed {
					got.sealed = append(got.sealed, string(s))
				}
				if !ok || !traitsEqual(&Traits{Class: got.class, Sealed: got.sealed, Dynamic: dyn, Externalizable: ext}, want[i]) {
					t.Fatalf("keep %v: TraitsEntry(%d) = %+v, %v; want %+v", keep, i, got, ok, want[i])
				}
			}
			for _, i := range []int{-1, n, n + 1} {
				if _, _, _, _, ok := r.TraitsEntry(i, nil); ok {
					t.Errorf("TraitsEntry(%d) ok past the table", i)
				}
			}
		}
	}
}

// TestNoReplay: with NoReplay, the object table counts objects past its
// first chunk without keeping where they are (objBig stays empty):
// indexes, references and a reference past the table are as without it,
// and Replay fails.
func TestNoReplay(t *testing.T) {
	n := objChunk + objChunk/2
	in := AppendU29([]byte{m3Array}, uint32(n+3)<<1|1)
	in = append(in, 0x01)
	for range n {
		in = append(in, m3Object, 0x0b, 0x01, 0x01) // {} anonymous, dynamic
	}
	for _, i := range []int{1, n - 1, n + 1} { // the array is entry 0
		in = AppendU29(append(in, m3Object), uint32(i)<<1)
	}
	var errs [2]string
	for k, noReplay := range []bool{false, true} {
		r := NewReader(in, AMF3)
		r.NoReplay = noReplay
		objects, refs := 0, 0
		for {
			tk, err := r.NextToken()
			if err != nil {
				errs[k] = err.Error()
				break
			}
			switch tk.Kind {
			case KindObject:
				objects++
				if tk.Index != objects {
					t.Fatalf("NoReplay %v: object %d has index %d", noReplay, objects, tk.Index)
				}
			case KindRef:
				refs++
				rerr := r.Replay(*tk)
				if (rerr != nil) != noReplay {
					t.Fatalf("NoReplay %v: Replay: %v", noReplay, rerr)
				}
				if rerr == nil {
					r.Skip()
				}
			}
		}
		if objects != n || refs != 2 {
			t.Errorf("NoReplay %v: %d objects, %d references", noReplay, objects, refs)
		}
		if kept := r.objBig.n > 0; kept == noReplay {
			t.Errorf("NoReplay %v: %d object offsets kept past the first chunk", noReplay, r.objBig.n)
		}
	}
	if errs[0] != errs[1] || errs[0] == "" {
		t.Errorf("the reference past the table: %q without NoReplay, %q with", errs[0], errs[1])
	}
	r := NewReader(in, AMF3)
	r.NoReplay = true
	r.Reset(in, AMF3)
	if !r.NoReplay {
		t.Error("Reset does not keep NoReplay")
	}
}

// TestStrBigForms: a strBig chunk holds its entries as byte differences
// while they fit, then turns to 16-bit offsets (a difference over 255,
// an entry below the one before) or to 32-bit ones (an entry 64 KiB
// past the chunk's first, met in either form), and gives every entry
// back as added.
func TestStrBigForms(t *testing.T) {
	cases := []struct {
		name string
		form uint8
		next func(k int, h uint32) uint32 // entry k of the chunk after h
	}{
		{"bytes", formD8, func(k int, h uint32) uint32 {
			if k == 7 {
				return h + 255
			}
			return h + uint32(k%8)
		}},
		{"a difference over 255", formRel, func(k int, h uint32) uint32 {
			if k == 1000 {
				return h + 1000
			}
			return h + 3
		}},
		{"an entry below the last", formRel, func(k int, h uint32) uint32 {
			if k == 17 {
				return h - 2
			}
			return h + 1
		}},
		{"past 64 KiB in bytes", formAbs, func(k int, h uint32) uint32 { return h + 255 }},
		{"past 64 KiB at a checkpoint", formAbs, func(k int, h uint32) uint32 {
			if k == 32 {
				return h + 70_000
			}
			return h + 1
		}},
		{"past 64 KiB in 16 bits", formAbs, func(k int, h uint32) uint32 {
			if k == 5 {
				return h + 300
			}
			return h + 20
		}},
	}
	var b strBig
	var want []uint32
	h := uint32(1 << 20)
	for _, c := range cases {
		for k := range strBigChunk {
			if k > 0 {
				h = c.next(k, h)
			}
			want = append(want, h)
			b.add(h)
		}
		h += 1 << 20
	}
	for round := range 2 {
		for i, w := range want {
			if got := b.at(i); got != w {
				t.Fatalf("round %d: entry %d (%s, %d) is %d, want %d", round, i, cases[i/strBigChunk].name, i%strBigChunk, got, w)
			}
		}
		for j, c := range cases {
			if f := b.chunks[j].form; f != c.form {
				t.Errorf("round %d: %s: form %d, want %d", round, c.name, f, c.form)
			}
		}
		b = b.reuse()
		for _, w := range want {
			b.add(w)
		}
	}
}
