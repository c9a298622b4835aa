package commands

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// BenchmarkUploadLoopback streams 64 MiB through uploadStream (the
// request built by the token Writer, the client's transport and
// connection) to a loopback server that discards the body: the
// client's share of "amfcall upload". testdata/bench/upload measures
// the whole process against curl -T.
func BenchmarkUploadLoopback(b *testing.B) {
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null"}}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, _ := io.Copy(io.Discard, r.Body); n != r.ContentLength {
			http.Error(w, "short body", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", client.ContentType)
		w.Write(reply)
	}))
	defer srv.Close()
	const size = 64 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		// A new client each time, so that the call is /1, as the
		// reply says.
		cl, err := client.New(srv.URL, client.Config{})
		if err != nil {
			b.Fatal(err)
		}
		src := io.LimitReader(zeroReader{}, size)
		if _, err := uploadStream(context.Background(), cl, "Files.store", src, size, []any{"x"}, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
