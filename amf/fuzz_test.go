package amf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets check properties, not just the absence of panics:
//
//   - decoding never panics, whatever the bytes;
//   - on error the decoded result is nil;
//   - limits only ever add failures: a decode under tight limits that
//     succeeds gives what the default decode gives, and one that fails
//     for another reason fails the same way by default;
//   - whatever decodes encodes, and encoding is idempotent after one
//     round: decode(encode(v)) re-encodes to the same bytes.
//
// They are seeded with the PyAMF vectors and captures and with the worked
// examples of the table tests. Run one with, for example,
//
//	go test ./amf -run='^$' -fuzz='^FuzzDecodeAMF3$' -fuzztime=3m

// maxSeed keeps the large vectors (long strings, the 70 KB echo) out of
// the corpus: they slow mutation down and the unit tests cover them.
const maxSeed = 8 << 10

func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, err := filepath.Glob(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			if len(data) <= maxSeed {
				f.Add(data)
			}
		}
	}
}

var tightDecMode, _ = DecOptions{MaxDepth: 8, MaxElements: 16, MaxLength: 256, MaxReferences: 16}.DecMode()

func fuzzValue(t *testing.T, data []byte, ver Version) {
	v := any("not set")
	err := Unmarshal(data, ver, &v)

	tv := any("not set")
	terr := tightDecMode.Unmarshal(data, ver, &tv)
	switch {
	case terr == nil && err != nil:
		t.Fatalf("tight limits decode what the defaults refuse (%v)", err)
	case terr != nil && !IsLimit(terr) && (err == nil || err.Error() != terr.Error()):
		t.Fatalf("tight limits fail with %q, defaults with %v", terr, err)
	case terr != nil && tv != nil:
		t.Fatalf("decoded %s with the error %v", show(tv), terr)
	}

	if err != nil {
		if v != nil {
			t.Fatalf("decoded %s with the error %v", show(v), err)
		}
		return
	}
	out, err := Marshal(v, ver)
	if err != nil {
		t.Fatalf("Marshal(Unmarshal(0x%x)) error: %v\nvalue %s", data, err, show(v))
	}
	if terr == nil {
		tout, err := Marshal(tv, ver)
		if err != nil || !bytes.Equal(tout, out) {
			t.Fatalf("tight limits decode to another value: %x, %v; want %x", tout, err, out)
		}
	}
	var v2 any
	if err := Unmarshal(out, ver, &v2); err != nil {
		t.Fatalf("Unmarshal(Marshal(Unmarshal(0x%x))) = Unmarshal(0x%x) error: %v", data, out, err)
	}
	out2, err := Marshal(v2, ver)
	if err != nil {
		t.Fatalf("second Marshal error: %v", err)
	}
	if !bytes.Equal(out, out2) {
		t.Fatalf("encoding is not idempotent for 0x%x:\n first %x\nsecond %x", data, out, out2)
	}
	// Append agrees with Marshal.
	app, err := Append([]byte{0xAA}, v, ver)
	if err != nil || !bytes.Equal(app[1:], out) {
		t.Fatalf("Append = %x, %v; want %x", app, err, out)
	}
}

func FuzzDecodeAMF0(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0", "../testdata/public/*/*.amf0", "../testdata/external/*/*.amf0")
	for _, tc := range decodeCases {
		if tc.ver == AMF0 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	for _, tc := range decodeErrorCases {
		if tc.ver == AMF0 {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzValue(t, data, AMF0) })
}

func FuzzDecodeAMF3(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3", "../testdata/public/*/*.amf3")
	for _, tc := range decodeCases {
		if tc.ver == AMF3 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	for _, tc := range decodeErrorCases {
		if tc.ver == AMF3 {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzStrFast(t, data); fuzzValue(t, data, AMF3) })
}

func FuzzDecodePacket(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/env_*.amf", "../testdata/pyamf/captures/*.amf", "../testdata/numbering/*.amf", "../testdata/public/*/*.amf", "../testdata/external/*/*.amf")
	for _, tc := range packetCases {
		f.Add(mustHex(tc.hex))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := UnmarshalPacket(data)
		tp, terr := tightDecMode.UnmarshalPacket(data)
		switch {
		case terr == nil && err != nil:
			t.Fatalf("tight limits decode what the defaults refuse (%v)", err)
		case terr != nil && !IsLimit(terr) && (err == nil || err.Error() != terr.Error()):
			t.Fatalf("tight limits fail with %q, defaults with %v", terr, err)
		case terr != nil && tp != nil:
			t.Fatalf("decoded a packet with the error %v", terr)
		}
		if err != nil {
			if p != nil {
				t.Fatalf("decoded a packet with the error %v", err)
			}
			return
		}
		out, err := MarshalPacket(p)
		if err != nil {
			t.Fatalf("MarshalPacket(UnmarshalPacket(0x%x)) error: %v", data, err)
		}
		if terr == nil {
			tout, err := MarshalPacket(tp)
			if err != nil || !bytes.Equal(tout, out) {
				t.Fatalf("tight limits decode to another packet")
			}
		}
		p2, err := UnmarshalPacket(out)
		if err != nil {
			t.Fatalf("UnmarshalPacket(MarshalPacket(...)) = UnmarshalPacket(0x%x) error: %v", out, err)
		}
		out2, err := MarshalPacket(p2)
		if err != nil {
			t.Fatalf("second MarshalPacket error: %v", err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not idempotent for 0x%x:\n first %x\nsecond %x", data, out, out2)
		}
	})
}

// FuzzDecodeSOL: .sol files never panic the decoder, and what decodes
// re-encodes to bytes that decode to the same encoding again.
func FuzzDecodeSOL(f *testing.F) {
	f.Add(mustHex("00 BF 00 00 00 24 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00 00 04 6E 61 6D 65 02 00 05 76 61 6C 75 65 00"))
	f.Add(mustHex(`00 BF 00 00 00 1C 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 03 03 "a" 06 03 "x" 00 03 "b" 06 02 00`))
	addSeeds(f, "../testdata/sol/*.sol", "../testdata/public/*/*.sol", "../testdata/external/*/*.sol")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := UnmarshalSOL(data)
		if err != nil {
			return
		}
		out, err := MarshalSOL(s)
		if err != nil {
			return
		}
		s2, err := UnmarshalSOL(out)
		if err != nil {
			t.Fatalf("re-decoding %x: %v", out, err)
		}
		out2, err := MarshalSOL(s2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not stable: %x then %x (%v)", out, out2, err)
		}
	})
}

// FuzzArena: one Arena decodes two inputs in a row, and the second
// decodes to what a fresh decode gives (value or packet, and error),
// whatever the first left in the Arena's memory. The first byte chooses
// AMF0, AMF3 or a packet, the second where the data is cut in two.
func FuzzArena(f *testing.F) {
	for i, p := range []string{"../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3", "../testdata/pyamf/captures/*.amf"} {
		files, _ := filepath.Glob(p)
		for j := 0; j+1 < len(files) && j < 40; j += 2 {
			a, _ := os.ReadFile(files[j])
			b, _ := os.ReadFile(files[j+1])
			if len(a) < 256 && len(a)+len(b) <= maxSeed {
				f.Add(append(append([]byte{byte(i), byte(len(a))}, a...), b...))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		mode, cut, data := data[0]%3, int(data[1]), data[2:]
		cut = min(cut, len(data))
		ver := []Version{AMF0, AMF3, AMF0}[mode]
		a := NewArena()
		first, second := arenaInput{"first", ver, mode == 2, data[:cut]}, arenaInput{"second", ver, mode == 2, data[cut:]}
		checkArena(t, a, first)
		checkArena(t, a, second)
		checkArena(t, a, first)
	})
}
