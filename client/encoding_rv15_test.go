package client

import (
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A request that names its own Accept-Encoding (-H 'Accept-Encoding:
// deflate') and gets a reply so compressed: the error said the encoding
// was one "amfcall did not ask for", which the request had asked for. A
// gzip reply is decoded, whoever asked for it.
func TestReplyEncodingAskedByCaller(t *testing.T) {
	t.Parallel()
	z := okReplyCompressed(t, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
	g := okReplyCompressed(t, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
	for enc, data := range map[string][]byte{"deflate": z.Bytes(), "br": z.Bytes()} {
		srv := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ContentType)
			w.Header().Set("Content-Encoding", enc)
			w.Write(data)
		})
		cfg := Config{Header: http.Header{"Accept-Encoding": {enc}}}
		_, err := newClient(t, srv.URL+"/gw", cfg).Call(context.Background(), "svc.m", nil)
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), `the body came with Content-Encoding "`+enc+`", which the request's own Accept-Encoding header ("`+enc+`") allowed`) ||
			strings.Contains(err.Error(), "did not ask for") {
			t.Errorf("Accept-Encoding %s given, reply %s: got %v", enc, enc, err)
		}
	}
	// gzip is read, asked for by the caller or not.
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(g.Bytes())
	})
	for _, h := range []http.Header{nil, {"Accept-Encoding": {"gzip"}}} {
		if p, err := newClient(t, srv.URL+"/gw", Config{Header: h}).Call(context.Background(), "svc.m", nil); err != nil || p != "ok" {
			t.Errorf("gzip, header %v: %v, %v", h, p, err)
		}
	}
}
