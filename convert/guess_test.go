package convert

import (
	"bytes"
	"errors"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// Bare values over guessCheck whose version is only guessed stream as
// AMF3 after their first guessCheck bytes read as AMF3: the same JSON as Render, and
// an error further on is the AMF3 error, with no AMF0 output after it.
func TestGuessedValuesStream(t *testing.T) {
	data, err := amf.Marshal(amftest.W1(30000), amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= guessCheck {
		t.Fatalf("the input is %d bytes, not over %d", len(data), guessCheck)
	}
	render := func(data []byte) (streamed, whole []byte, serr, werr error) {
		src, err := Load(data, "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		tg, err := src.Target(OutSpec{Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		ok, serr := src.RenderTo(&out, tg, &Options{MaxOutput: 1 << 30})
		if !ok {
			t.Fatalf("%d bytes of AMF3: not streamed", len(data))
		}
		whole, werr = src.Render(tg, &Options{MaxOutput: 1 << 30})
		return out.Bytes(), whole, serr, werr
	}
	streamed, whole, serr, werr := render(data)
	if serr != nil || werr != nil || !bytes.Equal(streamed, whole) {
		t.Fatalf("streamed %d bytes (%v), rendered %d bytes (%v): want the same JSON", len(streamed), serr, len(whole), werr)
	}
	// Cut short after its first guessCheck bytes: the AMF3 error, at its offset.
	_, _, serr, werr = render(data[:len(data)-1])
	var se *amf.SyntaxError
	if !errors.As(serr, &se) || se.Version != "amf3" || !errors.As(werr, &se) {
		t.Fatalf("cut short: streamed %v, rendered %v; want AMF3 syntax errors from both", serr, werr)
	}
}
