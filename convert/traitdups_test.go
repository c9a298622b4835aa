package convert

import (
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// dupTraitsInput is an AMF3 array of n objects of inline traits, past
// the first 4,096 traits (which the token Reader keeps: the rest it
// reads again, amf.Token.TraitsIndex) many of them equal to traits of a
// lower index, by content only: names given inline again or by
// reference, a CESU-8 name equal to a UTF-8 one once decoded, bytes
// that are not UTF-8, and traits that differ only in a flag or in how
// class and names run together; then objects that refer to some traits.
func dupTraitsInput(n int) []byte { return dupTraitsInputAt(n, 0, 0) }

// dupTraitsInputAt is dupTraitsInput after strBase strings and traitBase
// traits of the same tables (its references count from there).
func dupTraitsInputAt(n, strBase, traitBase int) []byte {
	in := amf.AppendU29([]byte{0x09}, uint32(n+6)<<1|1)
	in = append(in, 0x01)
	strs := map[string]int{}
	str := func(s string, inline bool) {
		if i, ok := strs[s]; ok && !inline {
			in = amf.AppendU29(in, uint32(i+strBase)<<1)
			return
		}
		if _, ok := strs[s]; !ok && s != "" {
			strs[s] = len(strs)
		} else if s != "" {
			strs[s+"\x00again"+strconv.Itoa(len(strs))] = len(strs) // a table entry all the same
		}
		in = amf.AppendU29(in, uint32(len(s))<<1|1)
		in = append(in, s...)
	}
	var bodies [][]byte // per traits entry, an object's members
	traits := func(class string, dyn bool, inline bool, names ...string) {
		u := uint32(len(names))<<4 | 0x03
		if dyn {
			u |= 0x08
		}
		in = amf.AppendU29(append(in, 0x0a), u)
		str(class, inline)
		for _, s := range names {
			str(s, inline)
		}
		var body []byte
		for range names {
			body = append(body, 0x04, 0x01)
		}
		if dyn {
			body = append(body, 0x01)
		}
		bodies = append(bodies, body)
		in = append(in, body...)
	}
	const smile = "\xf0\x9f\x98\x80"             // U+1F600 in UTF-8
	const smileCESU = "\xed\xa0\xbd\xed\xb8\x80" // and in CESU-8
	for i := range n {
		k := strconv.Itoa(i % 97)
		switch i % 11 {
		case 0, 1, 2:
			traits("C", false, false, "n"+strconv.Itoa(i)) // distinct
		case 3:
			traits("C", false, i%2 == 0, "n"+strconv.Itoa(i/3)) // equal to one before, often
		case 4:
			traits("D"+k, false, true, "a", "b") // 97 contents, inline again
		case 5:
			traits("D"+k, true, false, "a", "b") // the same but dynamic
		case 6:
			traits("D"+k+"a", false, false, "b") // class and names run together alike
		case 7:
			traits("S", false, false, smile, "m"+strconv.Itoa(i))
		case 8:
			traits("S", false, true, smileCESU, "m"+strconv.Itoa(i-1)) // equal to the one before once decoded
		case 9:
			traits("L\xe9"+k, false, i%3 == 0, "\xff") // not UTF-8
		case 10:
			in = append(in, 0x0a, 0x07) // an ArrayCollection wrapper
			str(amf.ClassArrayCollection, i%2 == 0)
			bodies = append(bodies, []byte{0x04, byte(i & 0x3F)})
			in = append(in, bodies[i]...)
		}
	}
	for _, i := range []int{0, 4095, 4096, 4097, n - 2, n - 1} {
		i = min(i, n-1) // (a small n, for the fuzz seeds)
		in = amf.AppendU29(append(in, 0x0a), uint32(i+traitBase)<<2|1)
		in = append(in, bodies[i]...)
	}
	return in
}

// TestTypedDupTraits: typed JSON of traits the token Reader reads again
// marks those equal to earlier ones "inline" (traitDups) as the value
// path does, in one part and in many (dupPart lowered: 8 parts, and
// maxDupParts larger than dupPart), and the references to them as seen.
func TestTypedDupTraits(t *testing.T) {
	data := dupTraitsInput(4096 + 3000)
	for _, part := range []int{dupPart, 1000, 1} {
		old := dupPart
		dupPart = part
		ok := checkTyped(t, data, amf.AMF3, &Options{Typed: true})
		dupPart = old
		if !ok {
			t.Fatalf("dupPart %d: the direct writer did not take the input", part)
		}
	}
}

// amf0Object is an AMF0 object of class (anonymous if empty) whose
// members, named names, are null.
func amf0Object(class string, names ...string) []byte {
	b := []byte{0x03}
	if class != "" {
		b = append([]byte{0x10, byte(len(class) >> 8), byte(len(class))}, class...)
	}
	for _, s := range names {
		b = append(b, byte(len(s)>>8), byte(len(s)))
		b = append(b, s...)
		b = append(b, 0x05)
	}
	return append(b, 0, 0, 0x09)
}

// TestTypedDupTraitsAMF0: AMF0 input whose 0x11 switch leads to more
// traits than the token Reader keeps (read again: traitDups), with AMF0
// objects before and between whose canonical traits equal some of them
// (the traits rule by content, in document order: "C" with "n4400"
// first meets an AMF3 entry past 4,096 after the AMF0 object): typed
// JSON as the value path writes it, bare and as a packet's message
// value (one switch alone, and in an AMF0 strict array).
func TestTypedDupTraitsAMF0(t *testing.T) {
	sw := append([]byte{0x11}, dupTraitsInput(4096+3000)...)
	c := amf0Object("C", "n4400")
	var bare, arr []byte
	bare = append(append(append(bare, c...), amf0Object("")...), sw...)
	bare = append(bare, amf0Object("C", "n4401")...)
	arr = append(arr, 0x0a, 0, 0, 0, 4)
	arr = append(append(append(arr, c...), amf0Object(amf.ClassArrayCollection)...), sw...)
	// Another switch: its objects' traits refer to entries of the first.
	arr = amf.AppendU29(append(arr, 0x11, 0x09, 0x05, 0x01, 0x0a), 4400<<2|1)
	arr = append(arr, 0x01, 0x0a, 0x01, 0x01)
	for _, in := range [][]byte{sw, bare, arr} {
		if !checkTyped(t, in, amf.AMF0, &Options{Typed: true}) {
			t.Fatalf("%.20x: the direct writer did not take the input", in)
		}
	}
	for _, body := range [][]byte{sw, arr} {
		pkt := []byte{0, 3, 0, 0, 0, 1, 0, 11}
		pkt = append(pkt, "/1/onResult"...)
		pkt = append(pkt, 0, 4, 'n', 'u', 'l', 'l', byte(len(body)>>24), byte(len(body)>>16), byte(len(body)>>8), byte(len(body)))
		pkt = append(pkt, body...)
		if !checkPacket(t, pkt, InSpec{}, Options{Typed: true}) {
			t.Fatalf("%.20x: RenderTo did not take the packet", body)
		}
	}
}

// BenchmarkDirectTypedSwitched: typed JSON of AMF0 input whose 0x11
// switch leads to AMF3 values: W1 (few traits), and the traits of
// TestTypedDupTraits past the 4,096 the Reader keeps (20,000).
func BenchmarkDirectTypedSwitched(b *testing.B) {
	for _, c := range []struct {
		name string
		in   []byte
	}{
		{"W1", append([]byte{0x11}, mustMarshal(b, amftest.W1(1000), amf.AMF3)...)},
		{"traits", append([]byte{0x11}, dupTraitsInput(20000)...)},
	} {
		b.Run(c.name, func(b *testing.B) { benchDirectTyped(b, c.in, amf.AMF0, true) })
	}
}
