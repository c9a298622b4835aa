package discover

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// TestDescriberListsOnce: a Describer lists the services at its first
// Describe only; where there is no listing, each Describe still asks
// Zend's introspector for its own name, and its error names the targets
// tried once each (the listing's error is copied, not added to again).
func TestDescriberListsOnce(t *testing.T) {
	py, err := os.ReadFile("../../testdata/pyamf/captures/default-unknown_service.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	pyUnknown, _ := amf.UnmarshalPacket(py)
	srv, seen := replayGateway(t, map[string]*amf.Packet{"*": pyUnknown})
	c, _ := client.New(srv.URL, client.Config{})
	d := NewDescriber(c)
	ctx := context.Background()
	want := "the gateway offers no discovery service amfcall knows (tried amfcall.discover, AmfphpDiscoveryService.discover, amfphp.DiscoveryService.getServices, Zend_Amf_Adobe_Introspector.introspect); its faults are worded as PyAMF's"
	for _, name := range []string{"x.y", "x"} {
		if _, _, err := d.Describe(ctx, name); err == nil || err.Error() != want {
			t.Errorf("Describe(%s) = %v", name, err)
		}
	}
	wantSeen := []string{TargetAmfcall, TargetAMFPHP2, TargetAMFPHP1List, TargetZendIntrospector, TargetZendIntrospector}
	if !reflect.DeepEqual(*seen, wantSeen) {
		t.Errorf("requests %q, want %q", *seen, wantSeen)
	}
}
