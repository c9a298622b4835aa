package commands

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// TestUTF16InputMemory: convert of 95 MB of UTF-16 JSON (as PowerShell
// 5's > writes it) stays within the input's size + 64 MB resident, from
// a file and from a pipe: once read as UTF-8 text, the UTF-16 bytes are
// given back. Both took input + 100 MB (the UTF-16 bytes held beside
// their text and its conversion). Opt-in (it writes 95 MB and converts
// it twice): AMFCALL_BIG_TESTS=1.
func TestUTF16InputMemory(t *testing.T) {
	bigTest(t, "writes and converts 95 MB of UTF-16 JSON")
	path := filepath.Join(t.TempDir(), "big16.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	put := func(s string) {
		for _, u := range utf16.Encode([]rune(s)) {
			w.WriteByte(byte(u))
			w.WriteByte(byte(u >> 8))
		}
	}
	w.Write([]byte{0xFF, 0xFE})
	put(`{"items": [`)
	const n = 800000
	for i := range n {
		if i > 0 {
			put(",")
		}
		put(fmt.Sprintf(`{"id": %d, "name": "product-%d", "price": %d.5}`, i, i, i))
	}
	put("]}")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"file", []string{"convert", path}, ""},
		{"pipe", []string{"convert", "-"}, path},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, kb := runForPeakRSS(t, tc.args, tc.stdin, true)
			t.Logf("%d bytes in, %d bytes out, peak RSS %.1f MB", st.Size(), out.n, float64(kb)/1024)
			if limit := st.Size() + 64<<20; int64(kb)*1024 > limit {
				t.Errorf("peak RSS %d kB, want under %d kB (the input + 64 MiB)", kb, limit/1024)
			}
			if out.n < n*10 {
				t.Errorf("%d bytes of AMF out", out.n)
			}
		})
	}
}
