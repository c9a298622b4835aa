package convert

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
)

// FuzzEnvelopePathsAgree (fuzz12) is FuzzPathsAgree for AMF packets and
// .sol files: the same bytes read as a packet and as a .sol file by
// every path side by side. The value decoder (amf.UnmarshalPacket,
// amf.UnmarshalSOL) is the reference; the others are the envelope scan
// (amf.ScanPacket, amf.ScanSOL: it reads exactly what the decoder
// reads), the token Reader's envelope calls (ReadPacketStart ...
// ReadMessageStart, ReadSOLStart ... ReadSOLEnd) with ReadValue, over
// the whole input and, for packets, over a stream that gives a few
// bytes at a time, and convert's Load, Render and RenderTo, plain and
// typed. A path that fails must fail with the decoder's error class
// (version, cause, offset); where the decoder reads the input, the
// plain outputs are one output, the typed outputs are one output, and
// the typed JSON reads back to what encodes to the decoder's bytes.
func FuzzEnvelopePathsAgree(f *testing.F) {
	for _, in := range envelopeSeeds(f) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		checkPacketPathsAgree(t, data)
		checkSOLPathsAgree(t, data)
	})
}

// TestEnvelopePathsAgreeCorpus holds the seeds and the packet and .sol
// corpora of the other targets to the same rule.
func TestEnvelopePathsAgreeCorpus(t *testing.T) {
	ins := envelopeSeeds(t)
	for _, dir := range []string{"FuzzEnvelopePathsAgree", "FuzzPacketDirect", "FuzzPacketTypedRoundTrip", "FuzzSOLTypedRoundTrip"} {
		ins = append(ins, pathsCorpus(t, "testdata/fuzz/"+dir)...)
	}
	for _, in := range ins {
		checkPacketPathsAgree(t, in)
		checkSOLPathsAgree(t, in)
	}
	t.Logf("%d inputs", len(ins))
	if len(ins) < 100 {
		t.Fatalf("only %d inputs: the seeds moved?", len(ins))
	}
}

// envelopeSeeds are packets and .sol files: the captures and .sol
// files kept here and in /work/shared, and every PyAMF vector wrapped
// as a message of a packet and as a member of a .sol file, in its own
// version (an AMF3 value in a packet behind the 0x11 switch).
func envelopeSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	for _, pat := range []string{"../testdata/pyamf/captures/*.amf", "/work/shared/captures/pyamf/*.amf", "../testdata/numbering/*.amf", "../testdata/sol/*.sol"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 8192 {
				out = append(out, b)
			}
		}
	}
	for _, dir := range []string{"../testdata/pyamf/vectors", "/work/shared/vectors/pyamf"} {
		for _, ext := range []string{"amf0", "amf3"} {
			files, _ := filepath.Glob(filepath.Join(dir, "*."+ext))
			for _, file := range files {
				v, err := os.ReadFile(file)
				if err != nil || len(v) > 4096 {
					continue
				}
				ver := amf.AMF0
				if ext == "amf3" {
					ver = amf.AMF3
				}
				out = append(out, wrapPacket(v, ver), wrapSOL(v, ver))
			}
		}
	}
	if len(out) == 0 {
		tb.Fatal("no seeds")
	}
	return out
}

// wrapPacket is a version-3 packet with one header and one message whose
// values are v (a header "h" and a request a.b /1).
func wrapPacket(v []byte, ver amf.Version) []byte {
	val := v
	if ver == amf.AMF3 {
		val = append([]byte{0x11}, v...)
	}
	var b []byte
	b = append(b, 0, 3, 0, 1)
	b = append(b, 0, 1, 'h', 0)
	b = binary.BigEndian.AppendUint32(b, uint32(len(val)))
	b = append(b, val...)
	b = append(b, 0, 1, 0, 3, 'a', '.', 'b', 0, 2, '/', '1')
	b = binary.BigEndian.AppendUint32(b, 0xFFFFFFFF)
	return append(b, val...)
}

// wrapSOL is a .sol file "s" of version ver with one member "m" whose
// value is v.
func wrapSOL(v []byte, ver amf.Version) []byte {
	var body []byte
	body = append(body, 'T', 'C', 'S', 'O', 0, 4, 0, 0, 0, 0, 0, 1, 's', 0, 0, 0, byte(ver))
	if ver == amf.AMF3 {
		body = append(body, 0x03, 'm')
	} else {
		body = append(body, 0, 1, 'm')
	}
	body = append(body, v...)
	body = append(body, 0)
	b := []byte{0x00, 0xBF}
	b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

// readPacketTokens reads a packet of size bytes with r's envelope calls
// and ReadValue, as a streaming reader of packets does, and then says,
// as UnmarshalPacket does, that bytes left after the last message are
// trailing data.
func readPacketTokens(r *amf.Reader, size int) error {
	if err := readPacketParts(r); err != nil {
		return err
	}
	if off := r.InputOffset(); off != int64(size) {
		return &amf.TrailingDataError{N: size - int(off), Offset: off}
	}
	return nil
}

// readPacketParts reads the envelope and values; the Reader checks the
// header and message counts against the bytes left itself, as
// UnmarshalPacket does (fuzz13: the checkEnvCount this helper made for
// it is gone, so the agreement is the Reader's).
func readPacketParts(r *amf.Reader) error {
	_, nh, err := r.ReadPacketStart()
	if err != nil {
		return err
	}
	for i := 0; i < nh; i++ {
		if _, _, _, err := r.ReadHeaderStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return eofShort(err)
		}
	}
	nm, err := r.ReadMessagesStart()
	if err != nil {
		return err
	}
	for i := 0; i < nm; i++ {
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return eofShort(err)
		}
	}
	return nil
}

// eofShort: io.EOF where a value must come is the input cut short.
func eofShort(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readSOLTokens reads a .sol file with r's envelope calls and ReadValue.
func readSOLTokens(r *amf.Reader) error {
	if _, _, err := r.ReadSOLStart(); err != nil {
		return err
	}
	for {
		if _, err := r.ReadSOLName(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return eofShort(err)
		}
		if err := r.ReadSOLEnd(); err != nil {
			return err
		}
	}
}

type pathResult struct {
	path string
	out  []byte
	err  error
}

// renderBoth renders src's JSON by Render and, when it takes the input,
// RenderTo, from two Loads of data.
func renderBoth(t *testing.T, data []byte, in InSpec, typed bool) []pathResult {
	t.Helper()
	name := "plain"
	if typed {
		name = "typed"
	}
	var rs []pathResult
	src, err := Load(bytes.Clone(data), "in", in)
	if err != nil {
		return []pathResult{{"Load", nil, err}}
	}
	out, err := src.Render(Target{Format: "json"}, &Options{Typed: typed})
	rs = append(rs, pathResult{"Render " + name, out, err})
	src, _ = Load(bytes.Clone(data), "in", in)
	var buf bytes.Buffer
	if ok, err := src.RenderTo(&buf, Target{Format: "json"}, &Options{Typed: typed}); ok {
		rs = append(rs, pathResult{"RenderTo " + name, buf.Bytes(), err})
	}
	return rs
}

func agree(t *testing.T, what string, data []byte, verr error, rss ...[]pathResult) {
	t.Helper()
	want := errClass(verr)
	for _, rs := range rss {
		for _, r := range rs {
			if got := errClass(r.err); got != want {
				t.Fatalf("%s %x: %s fails as %q (%v); the value decoder as %q (%v)", what, cut64(data), r.path, got, r.err, want, verr)
			}
		}
	}
	if verr != nil {
		return
	}
	for _, rs := range rss {
		for _, r := range rs[1:] {
			if r.out != nil && !bytes.Equal(r.out, rs[0].out) {
				t.Fatalf("%s %x:\n%s: %.400s\n%s: %.400s", what, cut64(data), r.path, r.out, rs[0].path, rs[0].out)
			}
		}
	}
}

func checkPacketPathsAgree(t *testing.T, data []byte) {
	t.Helper()
	p, verr := amf.UnmarshalPacket(data)
	// ScanPacket may leave a packet to the value model (a request whose
	// numbering is a guess), but never reads one that does not decode.
	if _, _, _, ok := amf.ScanPacket(data); ok && verr != nil {
		t.Fatalf("packet %x: ScanPacket reads it; UnmarshalPacket says %v", cut64(data), verr)
	}
	others := []pathResult{
		{path: "Reader", err: readPacketTokens(amf.NewReader(data, amf.AMF0), len(data))},
		{path: "stream Reader", err: readPacketTokens(amf.NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), amf.AMF0), len(data))},
	}
	if !amf.StartsPacket(data) {
		// Load looks for a packet after some text (a PHP notice): the
		// bytes it converts are not data.
		agree(t, "packet", data, verr, others)
		return
	}
	in := InSpec{Kind: KindPacket, KindSet: true}
	if fixed, fix := amf.Recount(data); verr != nil && fix != nil {
		if _, ferr := amf.UnmarshalPacket(fixed); ferr == nil {
			// A wrong count (read17): Load reads it as its bytes say,
			// as the packet with the count made right.
			for _, typed := range []bool{false, true} {
				got, want := renderBoth(t, data, in, typed), renderBoth(t, fixed, in, typed)
				for i := range want {
					if i >= len(got) || !bytes.Equal(got[i].out, want[i].out) || errClass(got[i].err) != errClass(want[i].err) {
						t.Fatalf("packet %x: read as its bytes say, %v; with its count made right, %v", cut64(data), got, want)
					}
				}
			}
			return
		}
	}
	plains := renderBoth(t, data, in, false)
	typeds := renderBoth(t, data, in, true)
	agree(t, "packet", data, verr, others, plains, typeds)
	if verr != nil {
		return
	}
	want, err := amf.MarshalPacket(p)
	if err != nil {
		return
	}
	back, err := PacketFromJSON(typeds[0].out)
	if err != nil {
		if heldWrongly(err) {
			return
		}
		t.Fatalf("packet %x: reading the typed JSON back: %v\n%.400s", cut64(data), err, typeds[0].out)
	}
	if got, err := amf.MarshalPacket(back); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("packet %x: typed JSON %.400s\nreads back to %x (%v), want %x", cut64(data), typeds[0].out, got, err, want)
	}
}

func checkSOLPathsAgree(t *testing.T, data []byte) {
	t.Helper()
	s, verr := amf.UnmarshalSOL(data)
	if _, _, ok := amf.ScanSOL(data); ok && verr != nil {
		t.Fatalf("sol %x: ScanSOL reads it; UnmarshalSOL says %v", cut64(data), verr)
	}
	others := []pathResult{{path: "Reader", err: readSOLTokens(amf.NewReader(data, amf.AMF0))}}
	in := InSpec{Kind: KindSOL, KindSet: true}
	plains := renderBoth(t, data, in, false)
	typeds := renderBoth(t, data, in, true)
	if len(data) == 0 {
		// Load names an empty input as such whatever --from says
		// (net17: convert and dump say "the input is empty"), before
		// any decoder reads it; the decoders agree among themselves.
		agree(t, "sol", data, verr, others)
		for _, r := range append(plains, typeds...) {
			if r.err == nil || !strings.Contains(r.err.Error(), "the input is empty") {
				t.Fatalf("sol of no bytes: %s: %v, not \"the input is empty\"", r.path, r.err)
			}
		}
		return
	}
	agree(t, "sol", data, verr, others, plains, typeds)
	if verr != nil {
		return
	}
	want, err := amf.MarshalSOL(s)
	if err != nil {
		return
	}
	var dk dupKeys
	back, err := solFromJSON(typeds[0].out, &dk)
	if err != nil {
		if heldWrongly(err) {
			return
		}
		t.Fatalf("sol %x: reading the typed JSON back: %v\n%.400s", cut64(data), err, typeds[0].out)
	}
	if got, err := amf.MarshalSOL(back); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("sol %x: typed JSON %.400s\nreads back to %x (%v), want %x", cut64(data), typeds[0].out, got, err, want)
	}
}
