package amf

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// checkPacketError holds PacketError to UnmarshalPacket, with Flash's
// numbering and PyAMF's: the same error, or nil for both, unless it says
// only the value model can tell; it reports whether it could.
func checkPacketError(t *testing.T, data []byte) bool {
	t.Helper()
	all := true
	for _, pyamf := range []bool{false, true} {
		m, _ := DecOptions{UnregisteredArgs: pyamf}.DecMode()
		_, want := m.UnmarshalPacket(data)
		got, known := m.PacketError(data)
		if !known {
			all = false
			continue
		}
		if errString(got) != errString(want) {
			t.Fatalf("pyamf %v %x:\nPacketError     %v\nUnmarshalPacket %v", pyamf, data, got, want)
		}
	}
	return all
}

// checkSOLError holds SOLError to UnmarshalSOL, on data and on data with
// its header's length made to fit.
func checkSOLError(t *testing.T, data []byte) {
	t.Helper()
	for range 2 {
		_, want := UnmarshalSOL(data)
		if got := SOLError(data); errString(got) != errString(want) {
			t.Fatalf("%x:\nSOLError     %v\nUnmarshalSOL %v", data, got, want)
		}
		if len(data) < 6 {
			return
		}
		data = append([]byte(nil), data...)
		binary.BigEndian.PutUint32(data[2:], uint32(len(data)-6))
	}
}

// TestPacketErrorNumbering: requests whose AMF0 references only another
// numbering resolves (PyAMF's, Red5's) are left to the value model, and
// cut short anywhere they give UnmarshalPacket's error.
func TestPacketErrorNumbering(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/numbering/*.amf")
	if len(paths) == 0 {
		t.Fatal("no numbering files")
	}
	// A request of two dates, an object and a reference to it: slot 2
	// with Red5's numbering (dates take one, the argument array none),
	// out of range with Flash's (the array takes one, dates none).
	date := []byte{0x0B, 0x42, 0x70, 0, 0, 0, 0, 0, 0, 0, 0}
	value := append([]byte{0x0A, 0, 0, 0, 4}, date...)
	value = append(value, date...)
	value = append(value, 0x03, 0, 0, 0x09, 0x07, 0, 2)
	red5 := []byte{0, 0, 0, 0, 0, 1, 0, 8, 's', 'v', 'c', '.', 'e', 'c', 'h', 'o', 0, 2, '/', '1'}
	red5 = append(binary.BigEndian.AppendUint32(red5, uint32(len(value))), value...)
	if _, err := UnmarshalPacket(red5); err != nil {
		t.Fatalf("the Red5 request does not decode: %v", err)
	}
	bad := append([]byte(nil), red5...)
	bad[len(bad)-1] = 5 // out of range with every numbering: Flash's error
	if _, err := UnmarshalPacket(bad); err == nil {
		t.Fatal("a reference to slot 5 decodes")
	}
	files := [][]byte{red5, bad}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	left := 0
	for _, data := range files {
		if !checkPacketError(t, data) {
			left++
		}
		for n := range len(data) {
			checkPacketError(t, data[:n])
		}
	}
	if left == 0 {
		t.Error("no request was left to the value model: the numberings are not tried")
	}
}

func FuzzPacketError(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/env_*.amf", "../testdata/pyamf/captures/*.amf", "../testdata/numbering/*.amf")
	for _, tc := range packetCases {
		f.Add(mustHex(tc.hex))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPacketError(t, data)
	})
}

func FuzzSOLError(f *testing.F) {
	f.Add(mustHex("00 BF 00 00 00 24 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00 00 04 6E 61 6D 65 02 00 05 76 61 6C 75 65 00"))
	f.Add(mustHex(`00 BF 00 00 00 1C 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 03 03 "a" 06 03 "x" 00 03 "b" 06 02 00`))
	addSeeds(f, "../testdata/sol/*.sol")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSOLError(t, data)
	})
}
