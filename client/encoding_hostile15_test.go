package client

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reply compressed with a Content-Encoding the client did not ask for
// (it asks for gzip only: deflate, br, gzip twice) was reported by its
// first bytes alone ("unsupported packet version 30938"): the error now
// names the encoding, and is still a decode error (exit 3).
func TestReplyOtherContentEncodingNamed(t *testing.T) {
	t.Parallel()
	z := okReplyCompressed(t, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
	for _, enc := range []string{"deflate", "br \u009b2J"} {
		srv := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ContentType)
			w.Header()["Content-Encoding"] = []string{enc}
			w.Write(z.Bytes())
		})
		_, err := newClient(t, srv.URL+"/gw", Config{}).Call(context.Background(), "svc.m", nil)
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), `is not a valid AMF packet: the body came with Content-Encoding "`) ||
			!strings.Contains(err.Error(), "does not decode; read as it came: ") || strings.Contains(err.Error(), "\u009b") || strings.Contains(err.Error(), `\\u009b`) {
			t.Errorf("Content-Encoding %q: got %v", enc, err)
		}
	}
	// gzip is read; identity is not named.
	body := okReplyCompressed(t, nil).Bytes()
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Encoding", "identity")
		w.Write(body[:len(body)-1])
	})
	_, err := newClient(t, srv.URL+"/gw", Config{}).Call(context.Background(), "svc.m", nil)
	if err == nil || strings.Contains(err.Error(), "Content-Encoding") {
		t.Errorf("identity, cut short: got %v", err)
	}
}

// okReplyCompressed is a reply packet whose result is "ok", compressed
// by the writer compress makes (nil: as it is).
func okReplyCompressed(t *testing.T, compress func(io.Writer) io.WriteCloser) *bytes.Buffer {
	t.Helper()
	body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if compress == nil {
		b.Write(body)
		return &b
	}
	w := compress(&b)
	w.Write(body)
	w.Close()
	return &b
}
