package convert

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// FuzzLoadRender: whatever the bytes, Load never panics, and where the
// JSON is streamed (RenderTo) it is what Render writes, or the same
// error; the kind guessed is one Describe names. Seeds include bare AMF3
// values longer than guessCheck, so that the streamed guess is reached.
func FuzzLoadRender(f *testing.F) {
	f.Add([]byte(`{"a":1}`), false)
	f.Add([]byte("0a0b0103610401"), false)
	f.Add(mustHex(f, flvExample), false)
	f.Add(mustHex(f, "0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178"), false)
	big, err := amf.Marshal(amftest.W1(6000), amf.AMF3)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(big, false)
	f.Add(big[:len(big)-3], false)
	f.Add(append([]byte{0x02, 0x00, 0x01, 'x'}, big...), true)
	// Other projects' files (testdata/external), plain and typed.
	files, _ := filepath.Glob("../testdata/external/*/*.*")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil && !strings.HasSuffix(file, ".md") {
			f.Add(b, false)
			f.Add(b, true)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, typed bool) {
		if len(data) > 1<<20 {
			return
		}
		src, err := Load(data, "in", InSpec{})
		if err != nil {
			return
		}
		if src.Describe() == "" {
			t.Fatal("no description")
		}
		tg, err := src.Target(OutSpec{Format: "json"})
		if err != nil {
			return
		}
		o := func() *Options { return &Options{Typed: typed, MaxOutput: 1 << 24} }
		var streamed bytes.Buffer
		ok, serr := src.RenderTo(&streamed, tg, o())
		if !ok {
			return
		}
		// Render again from a fresh load: RenderTo may have settled the
		// version.
		src2, err := Load(data, "in", InSpec{})
		if err != nil {
			t.Fatalf("second Load: %v", err)
		}
		whole, werr := src2.Render(tg, o())
		if fmt.Sprint(serr) != fmt.Sprint(werr) {
			t.Fatalf("streamed error %v, rendered %v", serr, werr)
		}
		if serr == nil && !bytes.Equal(streamed.Bytes(), whole) {
			t.Fatalf("streamed %d bytes, rendered %d bytes:\n%.300s\n%.300s", streamed.Len(), len(whole), streamed.Bytes(), whole)
		}
	})
}
