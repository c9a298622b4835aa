package commands

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
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
	u := faultAnswers(t, http.StatusInternalServerError, "application/x-amf", "Server.Denied", "Access denied")
	stdout, stderr, code := run(t, []string{"probe", u}, "", nil, false)
	want := "unknown\n" +
		"  (amf0-unknown-service: HTTP 500, with an AMF reply (read all the same))\n" +
		"  (amf0-unknown-service: an AMF reply, not one amfcall knows: \"/1/onStatus\" fault Server.Denied \"Access denied\")\n"
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, want) {
		t.Errorf("probe: %d %q\n%s", code, stderr, stdout)
	}
}
