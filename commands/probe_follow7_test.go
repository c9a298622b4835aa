package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestProbeSummaryDescription: a fault with both faultString and
// description (the longer text, on some PHP gateways) was summed up by
// probe with faultString alone ("nope"), the description dropped. The
// summary names the description too when it differs; a status object
// with a description alone (code, description) is not said twice.
func TestProbeSummaryDescription(t *testing.T) {
	for _, tc := range []struct {
		name    string
		members []amf.Member
		want    string
	}{
		{"both", []amf.Member{{Name: "faultCode", Value: "X"}, {Name: "faultString", Value: "nope"}, {Name: "description", Value: "The method does not exist"}},
			`"/1/onStatus" fault X "nope" description "The method does not exist")`},
		{"same", []amf.Member{{Name: "faultCode", Value: "X"}, {Name: "faultString", Value: "nope"}, {Name: "description", Value: "nope"}},
			`"/1/onStatus" fault X "nope")`},
		{"status object", []amf.Member{{Name: "code", Value: "X"}, {Name: "description", Value: "The method does not exist"}},
			`"/1/onStatus" fault X "The method does not exist")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				req, err := amf.UnmarshalPacket(body)
				if err != nil || len(req.Messages) == 0 {
					http.Error(w, "POST an AMF packet", 400)
					return
				}
				out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onStatus", Response: "null", Value: &amf.Object{Members: tc.members}}}})
				w.Header().Set("Content-Type", "application/x-amf")
				w.Write(out)
			}))
			t.Cleanup(srv.Close)
			stdout, stderr, code := run(t, []string{"probe", srv.URL}, "", nil, false)
			want := "  (amf0-unknown-service: an AMF reply, not one amfcall knows: " + tc.want + "\n"
			if code != 0 || stderr != "" || !strings.Contains(stdout, want) {
				t.Errorf("probe: %d %q\n%s\nwant a line %q", code, stderr, stdout, want)
			}
		})
	}
}
