package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A redirect to another host holds the AMF Credentials header back: the
// fault from that host says so (Fault.CredentialsNotSentTo), for the
// command to tell it from credentials refused; sent (LocationTrusted, or
// no redirect), the field is empty.
func TestFaultCredentialsNotSentTo(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir(), User: "bob", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	b := httptest.NewServer(g)
	defer b.Close()
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/gateway", http.StatusPermanentRedirect)
	}))
	defer a.Close()
	for _, tc := range []struct {
		url, pw string
		trusted bool
		want    string // CredentialsNotSentTo; "ok" for no fault
	}{
		{a.URL + "/", "pw", false, b.URL + "/gateway"},
		{a.URL + "/", "pw", true, "ok"},
		{b.URL + "/gateway", "nope", false, ""},
	} {
		c, err := New(tc.url, Config{LocationTrusted: tc.trusted})
		if err != nil {
			t.Fatal(err)
		}
		c.SetCredentials("bob", tc.pw)
		_, err = c.Call(context.Background(), "secure.whoami", nil)
		var f *Fault
		switch {
		case tc.want == "ok" && err != nil:
			t.Errorf("%s trusted=%v: %v", tc.url, tc.trusted, err)
		case tc.want == "ok":
		case !errors.As(err, &f) || !f.IsAuthentication():
			t.Errorf("%s: err %v, want an authentication fault", tc.url, err)
		case f.CredentialsNotSentTo != tc.want:
			t.Errorf("%s: CredentialsNotSentTo %q, want %q", tc.url, f.CredentialsNotSentTo, tc.want)
		}
	}
}
