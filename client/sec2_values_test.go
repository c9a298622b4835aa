package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestReplyValuesBounded: a reply whose values would take more than
// MaxValueFactor times MaxResponseSize once decoded is refused as too
// large before it is decoded (200,000 empty objects: 600 KB that decode
// to 25 MB), with the hint's flag's limit named; a reply of as many bytes
// of plain text is read.
func TestReplyValuesBounded(t *testing.T) {
	t.Parallel()
	dense := make([]any, 200000)
	for i := range dense {
		dense[i] = &amf.Object{}
	}
	replies := map[string]any{
		"/dense": amf.AVMPlus{Value: &amf.Array{Dense: dense}},
		"/text":  strings.Repeat("lorem ipsum ", 50000),
	}
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		b, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: replies[r.URL.Path]}}})
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", ContentType)
		w.Write(b)
	})
	cfg := Config{MaxResponseSize: 1 << 20}
	_, err := call(t, gw.URL+"/dense", cfg)
	var he *HTTPError
	if !errors.As(err, &he) || !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "MiB once decoded; the limit is 8 times the 1048576 bytes a reply may have") {
		t.Errorf("dense reply: %v, want it refused as too large", err)
	}
	if v, err := call(t, gw.URL+"/text", cfg); err != nil || len(v.(string)) != 600000 {
		t.Errorf("text reply: %v", err)
	}
}

// TestReplyValuesBoundedAfterText: the bound holds for a packet after a
// PHP notice too, in a reply labelled text/html or application/x-amf.
func TestReplyValuesBoundedAfterText(t *testing.T) {
	t.Parallel()
	dense := make([]any, 200000)
	for i := range dense {
		dense[i] = &amf.Object{}
	}
	b, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: &amf.Array{Dense: dense}}}}})
	if err != nil {
		t.Fatal(err)
	}
	body := append([]byte("<br />\n<b>Notice</b>: Undefined index: x in a.php on line <b>3</b><br />\n"), b...)
	for _, ct := range []string{"text/html", ContentType} {
		gw := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
		})
		_, err := call(t, gw.URL, Config{MaxResponseSize: 1 << 20})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "once decoded") {
			t.Errorf("%s: %v, want it refused as too large", ct, err)
		}
	}
}
