package amf

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// fuzzCorpusInputs returns the []byte arguments of a "go test fuzz v1"
// file.
func fuzzCorpusInputs(data []byte) [][]byte {
	var out [][]byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("[]byte(")) || !bytes.HasSuffix(line, []byte(")")) {
			continue
		}
		s, err := strconv.Unquote(string(line[len("[]byte(") : len(line)-1]))
		if err == nil {
			out = append(out, []byte(s))
		}
	}
	return out
}

// TestPacketDecodesAgrees: PacketDecodes, which builds no value, says
// yes exactly when UnmarshalPacket decodes, on every file under testdata
// and amf/testdata (fuzz corpora included), every prefix of the smaller
// ones, and each with a byte changed along it.
func TestPacketDecodesAgrees(t *testing.T) {
	var inputs [][]byte
	for _, root := range []string{"../testdata", "testdata", "../../shared/vectors", "../../shared/captures"} {
		i := 0
		filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			if i++; (i-1)%testStride != 0 {
				return nil // a sample under Wine (teststride_test.go)
			}
			data, err := os.ReadFile(path)
			if err != nil || len(data) > 1<<20 {
				return nil
			}
			if bytes.HasPrefix(data, []byte("go test fuzz v1\n")) {
				inputs = append(inputs, fuzzCorpusInputs(data)...)
			} else {
				inputs = append(inputs, data)
			}
			return nil
		})
	}
	if len(inputs) < 500/testStride {
		t.Fatalf("only %d inputs", len(inputs))
	}
	packets, checked := 0, 0
	check := func(b []byte) {
		checked++
		_, err := UnmarshalPacket(b)
		if got := PacketDecodes(b); got != (err == nil) {
			t.Errorf("% x: PacketDecodes %v, UnmarshalPacket %v", b[:min(len(b), 64)], got, err)
		}
	}
	for _, data := range inputs {
		if !StartsPacket(data) {
			continue
		}
		packets++
		check(data)
		if len(data) > 600 {
			continue
		}
		for k := 0; k < len(data); k++ {
			check(data[:k])
			for _, v := range []byte{0x07, 0x11, 0xff} {
				c := bytes.Clone(data)
				c[k] = v
				check(c)
			}
		}
	}
	t.Logf("%d inputs, %d start like a packet, %d checked", len(inputs), packets, checked)
	if packets < 50/testStride {
		t.Fatalf("only %d packets", packets)
	}
}

// FuzzPacketDecodes holds PacketDecodes to UnmarshalPacket.
func FuzzPacketDecodes(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/pyamf/*/*.amf")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := UnmarshalPacket(b)
		if got := PacketDecodes(b); got != (err == nil) {
			t.Fatalf("PacketDecodes %v, UnmarshalPacket %v", got, err)
		}
	})
}
