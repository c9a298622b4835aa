package commands

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestProbeJSONSaysWhatRepliesSaid: for a gateway probe cannot name, the
// text report quotes what each AMF reply said (its bodies' targets and
// fault codes), the only lead there is; --format json, the form for
// tools, had each exchange's status and Server header only. Each
// exchange with an AMF reply now has its "reply".
func TestProbeJSONSaysWhatRepliesSaid(t *testing.T) {
	u := faultEverything(t, "Server.Denied", "Access denied")
	stdout, stderr, code := run(t, []string{"probe", "--format", "json", u}, "", nil, false)
	var doc struct {
		Gateway   string `json:"gateway"`
		Exchanges []struct {
			Probe string `json:"probe"`
			Reply *struct {
				Count  int `json:"count"`
				Bodies []struct {
					Target      string `json:"target"`
					FaultCode   string `json:"faultCode"`
					Description string `json:"description"`
				} `json:"bodies"`
			} `json:"reply"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || doc.Gateway != "unknown" || len(doc.Exchanges) != 4 {
		t.Fatalf("probe --format json: %d %v %s\n%s", code, err, stderr, stdout)
	}
	for _, x := range doc.Exchanges {
		if x.Probe == "get" {
			if x.Reply != nil {
				t.Errorf("the GET has a reply: %+v", x.Reply)
			}
			continue
		}
		if x.Reply == nil || x.Reply.Count != 1 || len(x.Reply.Bodies) != 1 ||
			x.Reply.Bodies[0].FaultCode != "Server.Denied" || x.Reply.Bodies[0].Description != "Access denied" ||
			x.Reply.Bodies[0].Target != "/1/onStatus" {
			t.Errorf("%s: reply %+v", x.Probe, x.Reply)
		}
	}
}

// TestProbeHTTP500AMFCLI: a gateway that sends its faults with HTTP 500
// and an AMF body made probe exit 3 with "no probe got an AMF reply
// ... check that the URL is the AMF gateway": it is one. The report
// now says the status and what the reply said, exit 0.
func TestProbeHTTP500AMFCLI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil || len(req.Messages) == 0 {
			http.Error(w, "POST an AMF packet", 400)
			return
		}
		fault := &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: "Server.Denied"}, {Name: "faultString", Value: "Access denied"}}}
		out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onStatus", Response: "null", Value: fault}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.WriteHeader(500)
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, code := run(t, []string{"probe", srv.URL}, "", nil, false)
	want := "unknown\n" +
		"  (amf0-unknown-service: HTTP 500, with an AMF reply (read all the same))\n" +
		"  (amf0-unknown-service: an AMF reply, not one amfcall knows: \"/1/onStatus\" fault Server.Denied \"Access denied\")\n"
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, want) {
		t.Errorf("probe: %d %q\n%s", code, stderr, stdout)
	}
}
