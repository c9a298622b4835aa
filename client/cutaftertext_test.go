package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// sendTo serves body with the Content-Type ct, and Sends a
// request packet to it.
func sendTo(t *testing.T, ct string, body []byte) (*amf.Packet, *recorder, error) {
	t.Helper()
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	})
	rec := &recorder{}
	c := newClient(t, s.URL, Config{Events: rec})
	p, err := c.Send(context.Background(), &amf.Packet{Messages: []amf.Message{{Target: "svc.m", Response: "/1", Value: &amf.Array{}}}})
	return p, rec, err
}

// TestCutReplyAfterText: a reply with a PHP notice before its packet,
// cut short, gets the error of a packet cut short (a DecodeError wrapping
// a *CutAfterTextError, with the amf error's offset and where the packet
// starts), as dump gives, whatever the Content-Type; cut just after six
// zero bytes (the AMF3 capture's double 2^28), it read as an empty
// packet. The PyAMF captures after the notice are still read whole.
func TestCutReplyAfterText(t *testing.T) {
	notice := []byte("Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n")
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.response.amf")
	if len(paths) < 10 {
		t.Fatalf("only %d captures", len(paths))
	}
	for _, ct := range []string{ContentType, "text/html; charset=UTF-8"} {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want, err := amf.UnmarshalPacket(data)
			if err != nil {
				t.Fatal(err)
			}
			got, rec, err := sendTo(t, ct, append(bytes.Clone(notice), data...))
			if err != nil || len(got.Messages) != len(want.Messages) || got.Messages[0].Target != want.Messages[0].Target {
				t.Errorf("%s, %s after a notice: %v, %v", ct, filepath.Base(p), got, err)
			} else if rec.resps[0].Skipped != len(notice) {
				t.Errorf("%s, %s: Skipped %d", ct, filepath.Base(p), rec.resps[0].Skipped)
			}
		}
	}

	data, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf3_rich.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	six := bytes.Index(data, make([]byte, 6)) + 6
	if six < 6 || six >= len(data) {
		t.Fatalf("the capture has no six zero bytes before its end (%d)", six)
	}
	// The cut the issue names, and others.
	for _, k := range []int{six, six - 1, 6, 12, len(data) / 2, len(data) - 1} {
		_, uerr := amf.UnmarshalPacket(data[:k])
		if uerr == nil {
			t.Fatalf("the capture cut at %d decodes", k)
		}
		for _, ct := range []string{ContentType, "text/html"} {
			body := append(bytes.Clone(notice), data[:k]...)
			got, rec, err := sendTo(t, ct, body)
			var de *DecodeError
			var ce *CutAfterTextError
			if !errors.As(err, &de) || !errors.As(err, &ce) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%s, cut at %d after the notice: %v, %v (%T); want a packet cut short", ct, k, got, err, err)
				continue
			}
			if !bytes.Equal(ce.Text, notice) || ce.Err.Error() != uerr.Error() {
				t.Errorf("%s, cut at %d: text %q, error %v; want %v", ct, k, ce.Text, ce.Err, uerr)
			}
			for _, s := range []string{uerr.Error(), "after 68 bytes of text", "at byte 68 of the reply"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%s, cut at %d: %q does not say %q", ct, k, err, s)
				}
			}
			if ev := rec.resps[0]; !bytes.Equal(ev.Body, body) || ev.Skipped != len(notice) {
				t.Errorf("%s, cut at %d: event body %d bytes, Skipped %d", ct, k, len(ev.Body), ev.Skipped)
			}
		}
	}
}
