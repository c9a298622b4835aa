package client

import (
	"errors"
	"strings"
	"testing"
)

// Over HTTP/2, a reply whose header fields go over MaxHeaderBytes was
// told in Go's h2 words: "connection failed ...: connection error:
// PROTOCOL_ERROR; the connection failed; try again". It is now told as
// over HTTP/1.1: too large, naming the limit, with no "try again".
func TestH2HeaderFieldsTooLargeWorded(t *testing.T) {
	t.Parallel()
	err := callH2ManyHeaderFields(t)
	var he *HTTPError
	if !errors.As(err, &he) || he.Kind != ErrTooLarge || he.Reason != ReasonHeaderTooLarge ||
		!strings.Contains(err.Error(), "header fields") || !strings.Contains(err.Error(), "256 KiB") || strings.Contains(err.Error(), "try again") {
		t.Fatalf("HTTP/2 reply of %d header fields: got %v; want too large, naming the 256 KiB of header fields", MaxHeaderBytes/16, err)
	}
}

// h2HeaderListRefused takes Go's two ways of refusing the list, and no
// other connection error.
func TestH2HeaderListRefusedWords(t *testing.T) {
	for msg, want := range map[string]bool{
		`Post "https://h/gw": connection error: PROTOCOL_ERROR`:                         true,
		`Post "https://h/gw": http2: response header list larger than advertised limit`: true,
		`Post "https://h/gw": http2: connection error: PROTOCOL_ERROR: bad frame`:       false,
		`Post "https://h/gw": stream error: stream ID 1; PROTOCOL_ERROR; invalid field`: false,
		`Post "https://h/gw": connection error: FLOW_CONTROL_ERROR`:                     false,
	} {
		if got := h2HeaderListRefused(errors.New(msg)); got != want {
			t.Errorf("h2HeaderListRefused(%q) = %v, want %v", msg, got, want)
		}
	}
}
