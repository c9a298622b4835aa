package discover

import (
	"fmt"
	"testing"
)

// TestNotFoundNamesServicesAsServices: a name not listed is answered
// with the services the catalog lists, as services, and apart from them
// the methods called without a service, five of each at most.
func TestNotFoundNamesServicesAsServices(t *testing.T) {
	loose := func(names ...string) Service {
		s := Service{}
		for _, n := range names {
			s.Methods = append(s.Methods, Method{Name: n})
		}
		return s
	}
	var many []Service
	for i := range 7 {
		many = append(many, Service{Name: fmt.Sprintf("S%d", i)})
	}
	const pre = `"nosuch" is not in what the gateway's discovery service (amfcall) lists`
	for _, tc := range []struct {
		services []Service
		want     string
	}{
		{[]Service{loose("getSnapshots", "login"), {Name: "echo"}, {Name: "ByteArray"}},
			pre + "; it lists the services echo, ByteArray, and methods called without a service: getSnapshots, login"},
		{append(many, loose("a", "b", "c", "d", "e", "f", "g")),
			pre + "; it lists the services S0, S1, S2, S3, S4, ..., and methods called without a service: a, b, c, d, e, ..."},
		{many[:5], pre + "; it lists the services S0, S1, S2, S3, S4"},
		{[]Service{loose("login", "logout")}, pre + "; it lists no service, only methods called without one: login, logout"},
		{nil, pre},
	} {
		err := notFound("nosuch", &Catalog{Dialect: Amfcall, Services: tc.services})
		if err.Error() != tc.want {
			t.Errorf("got  %s\nwant %s", err, tc.want)
		}
	}
}
