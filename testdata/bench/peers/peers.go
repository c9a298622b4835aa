package peers

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
	"github.com/amfcall/amfcall/convert"
	livego "github.com/gwuhaolin/livego/protocol/amf"
	"github.com/nareix/joy4/format/flv/flvio"
)

// A Workload is one value of amf/amftest (or, for W2 in AMF0, a long
// string of the same size) encoded by amfcall, with what every decoder must
// make of it.
type Workload struct {
	Name string
	AMF3 bool
	Data []byte
	// Want is the source value in the plain model, before encoding.
	Want any
	// WantJSON is amfcall's plain JSON of the source value (one line).
	WantJSON []byte
}

// longString is W2 for AMF0, which has no ByteArray: one long string
// (marker 0x0C) of n printable ASCII bytes.
func longString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = ' ' + byte(i*131%95)
	}
	return string(b)
}

// A Spec names a workload and builds it.
type Spec struct {
	Name  string
	Build func() (*Workload, error)
}

// Workloads lists every workload; each is built on its own so that only
// the one being measured needs to stay alive, and only when it is.
func Workloads() []Spec {
	mk := func(name string, ver amf.Version, src func() any) Spec {
		return Spec{name, func() (*Workload, error) {
			v := src()
			data, err := amf.Marshal(v, ver)
			if err != nil {
				return nil, err
			}
			want, err := FromAmfcall(v)
			if err != nil {
				return nil, err
			}
			js, err := convert.AppendValue(nil, v, &convert.Options{})
			if err != nil {
				return nil, err
			}
			return &Workload{Name: name, AMF3: ver == amf.AMF3, Data: data, Want: want, WantJSON: append(js, '\n')}, nil
		}}
	}
	return []Spec{
		mk("W1_amf0", amf.AMF0, func() any { return amftest.W1(1000) }),
		mk("W1_amf3", amf.AMF3, func() any { return amftest.W1(1000) }),
		mk("W2_amf0", amf.AMF0, func() any { return longString(4 << 20) }),
		mk("W2_amf3", amf.AMF3, func() any { return amftest.W2(4 << 20) }),
		mk("W3_amf0", amf.AMF0, func() any { return amftest.W3(100000) }),
		mk("W3_amf3", amf.AMF3, func() any { return amftest.W3(100000) }),
		mk("W4_amf0", amf.AMF0, func() any { return amftest.W4() }),
	}
}

func ver(amf3 bool) amf.Version {
	if amf3 {
		return amf.AMF3
	}
	return amf.AMF0
}

// A Peer is one decoder under comparison.
type Peer struct {
	Name       string
	AMF0, AMF3 bool
	// Decode is what is timed: data in, the decoder's own result out.
	Decode func(data []byte, amf3 bool) (any, error)
	// Check says how Decode's result differs from what w holds, or "".
	Check func(out any, w *Workload) string
}

// Speaks says whether p reads w's AMF version at all.
func (p *Peer) Speaks(w *Workload) bool {
	if w.AMF3 {
		return p.AMF3
	}
	return p.AMF0
}

// plainCheck checks a result through an adapter to the plain model.
func plainCheck(adapt func(any) (any, error)) func(any, *Workload) string {
	return func(out any, w *Workload) string {
		v, err := adapt(out)
		if err != nil {
			return err.Error()
		}
		return Diff(v, w.Want)
	}
}

var errTrailing = errors.New("did not read the whole value")

// Peers returns the decoders, amfcall's value model first (the baseline
// of every ratio).
func Peers() []*Peer {
	var jsonBuf []byte
	return []*Peer{
		{
			Name: "amfcall", AMF0: true, AMF3: true,
			Decode: func(data []byte, amf3 bool) (any, error) {
				var v any
				err := amf.Unmarshal(data, ver(amf3), &v)
				return v, err
			},
			Check: plainCheck(FromAmfcall),
		},
		{
			// amfcall's direct path: AMF bytes to plain JSON text, the
			// work of `amfcall convert`. Its result is checked against the
			// JSON amfcall writes from the source value.
			Name: "amfcall-json", AMF0: true, AMF3: true,
			Decode: func(data []byte, amf3 bool) (any, error) {
				var err error
				jsonBuf, err = convert.AppendAMF(jsonBuf[:0], data, ver(amf3), &convert.Options{})
				return jsonBuf, err
			},
			Check: func(out any, w *Workload) string {
				got := out.([]byte)
				if bytes.Equal(got, w.WantJSON) {
					return ""
				}
				n := 0
				for n < len(got) && n < len(w.WantJSON) && got[n] == w.WantJSON[n] {
					n++
				}
				return fmt.Sprintf("JSON differs from byte %d (%d bytes, want %d)", n, len(got), len(w.WantJSON))
			},
		},
		{
			Name: "joy4", AMF0: true,
			Decode: func(data []byte, _ bool) (any, error) {
				v, n, err := flvio.ParseAMF0Val(data)
				if err == nil && n != len(data) {
					err = errTrailing
				}
				return v, err
			},
			Check: plainCheck(FromJoy4),
		},
		{
			Name: "livego", AMF0: true, AMF3: true,
			Decode: func(data []byte, amf3 bool) (any, error) {
				r := bytes.NewReader(data)
				var v livego.Version = livego.AMF0
				if amf3 {
					v = livego.AMF3
				}
				out, err := livego.NewDecoder().Decode(r, v)
				if err == nil && r.Len() != 0 {
					err = errTrailing
				}
				return out, err
			},
			Check: plainCheck(FromLivego),
		},
		{
			Name: "ref", AMF0: true, AMF3: true,
			Decode: RefDecode,
			Check:  plainCheck(func(v any) (any, error) { return v, nil }),
		},
	}
}

// Verdict decodes w with p once and says whether p may be timed on it:
// "ok", "does not speak amfN", "fails: ..." (an error) or "wrong: ..."
// (decoded, but to something else). Only "ok" is timed.
func Verdict(p *Peer, w *Workload) string {
	if !p.Speaks(w) {
		return "does not speak " + ver(w.AMF3).String()
	}
	out, err := safeDecode(p, w)
	if err != nil {
		return "fails: " + shorten(err.Error())
	}
	if d := p.Check(out, w); d != "" {
		return "wrong: " + shorten(d)
	}
	return "ok"
}

// safeDecode turns a peer's panic into an error: a peer that panics on a
// workload cannot decode it.
func safeDecode(p *Peer, w *Workload) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return p.Decode(w.Data, w.AMF3)
}

func shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 160 {
		return s[:160] + "..."
	}
	return s
}
