package discover

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// A server's long headers and fault codes were quoted whole in each
// finding: a Server and an X-Powered-By of 100 KB and a fault code of
// 100 KB made probe print 900 KB (the same header once per gateway it
// points at). Each finding is now cut at maxWhy bytes, on a character's
// start.
func TestProbeFindingsCut(t *testing.T) {
	long := strings.Repeat("é", 50000) // 100 KB, two bytes a character
	h := http.Header{}
	h.Set("Server", "Apache-Coyote/1.1 "+long)
	h.Set("X-Powered-By", "PHP/5.3 "+long)
	p := &amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null",
		Value: &amf.Object{Members: []amf.Member{{Name: "code", Value: "Code" + long}, {Name: "description", Value: long}}}}}}
	r := Identify([]Exchange{{Probe: ProbeAMF0, Packet: p, Header: h}})
	if len(r.Evidence) < 3 {
		t.Fatalf("%d findings: %+v", len(r.Evidence), r.Evidence)
	}
	total := 0
	for _, f := range r.Evidence {
		total += len(f.Why)
		if len(f.Why) > 303 /* maxWhy and "..." */ || !utf8.ValidString(f.Why) {
			t.Errorf("a finding of %d bytes (valid UTF-8: %v): %.80q", len(f.Why), utf8.ValidString(f.Why), f.Why)
		}
	}
	t.Logf("%d findings, %d bytes", len(r.Evidence), total)
}
