package discover

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// faultReply is a reply packet whose one body is a fault.
func faultReply(code, description string) *amf.Packet {
	return &amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null", Value: &amf.Object{Members: []amf.Member{
		{Name: "code", Value: code}, {Name: "description", Value: description}, {Name: "level", Value: "error"}}}}}}
}

// TestListFaultForEveryCall: a gateway that answers every call with the
// same fault (one that wants a login for anything, or a catch-all) was
// reported as "the gateway refused amfcall.discover", with the hint
// that the discovery service may need a login: amfcall serve's own
// discovery target, which such a gateway does not have, named as the
// one it has. Every discovery target is now tried, and the sameness of
// the answers said.
func TestListFaultForEveryCall(t *testing.T) {
	ctx := context.Background()
	srv, seen := replayGateway(t, map[string]*amf.Packet{"*": faultReply("Server.Denied", "Access denied")})
	c, _ := client.New(srv.URL, client.Config{})
	_, err := List(ctx, c)
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("List = %v, want a *RefusedError", err)
	}
	if want := []string{TargetAmfcall, TargetAMFPHP2, TargetAMFPHP1List}; !reflect.DeepEqual(*seen, want) {
		t.Errorf("requests %q, want %q", *seen, want)
	}
	if !reflect.DeepEqual(re.Alike, []string{TargetAMFPHP2, TargetAMFPHP1List}) {
		t.Errorf("Alike = %q", re.Alike)
	}
	msg := err.Error()
	if !strings.Contains(msg, "amfcall.discover, AmfphpDiscoveryService.discover and amfphp.DiscoveryService.getServices with the same fault (Server.Denied: Access denied)") ||
		strings.HasPrefix(msg, "the gateway refused amfcall.discover") {
		t.Errorf("error %q", msg)
	}

	// A fault that names the target called ("no such X") is the same
	// fault for each.
	srv2, _ := replayGateway(t, map[string]*amf.Packet{
		TargetAmfcall:     faultReply("Server.Call", "Service amfcall is not available"),
		TargetAMFPHP2:     faultReply("Server.Call", "Service AmfphpDiscoveryService is not available"),
		TargetAMFPHP1List: faultReply("Server.Call", "Service amfphp.DiscoveryService is not available"),
	})
	c2, _ := client.New(srv2.URL, client.Config{})
	if _, err := List(ctx, c2); !errors.As(err, &re) || len(re.Alike) != 2 {
		t.Errorf("List with the target in each fault = %v", err)
	}
}

// TestListRefusalThenListing: a fault for amfcall.discover ended List
// before AMFPHP 2's discovery service was asked; the listing that one
// gives is now found.
func TestListRefusalThenListing(t *testing.T) {
	php2 := loadFixtures(t, "amfphp2")
	srv, _ := replayGateway(t, map[string]*amf.Packet{
		TargetAmfcall: faultReply("Server.Processing", "no such thing here"),
		TargetAMFPHP2: php2["discover"].Packet,
		"*":           php2[ProbeAMF0].Packet,
	})
	c, _ := client.New(srv.URL, client.Config{})
	cat, err := List(context.Background(), c)
	if err != nil || cat.Dialect != AMFPHP2 || len(cat.Services) != 2 {
		t.Fatalf("List = %+v, %v; want AMFPHP 2's listing", cat, err)
	}
}

// TestListOneRefusal: one target refused, the others not found: the
// refusal is that target's, as before (AMFPHP 2's wants a login).
func TestListOneRefusal(t *testing.T) {
	php2 := loadFixtures(t, "amfphp2")
	srv, seen := replayGateway(t, map[string]*amf.Packet{
		TargetAMFPHP2: php2["discover-refused"].Packet, "*": php2[ProbeAMF0].Packet})
	c, _ := client.New(srv.URL, client.Config{})
	_, err := List(context.Background(), c)
	var re *RefusedError
	if !errors.As(err, &re) || re.Target != TargetAMFPHP2 || len(re.Alike) != 0 {
		t.Fatalf("List = %v", err)
	}
	if len(*seen) != 3 {
		t.Errorf("requests %q, want the three discovery targets", *seen)
	}
}
