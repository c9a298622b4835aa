package gateway

import (
	"sort"

	"github.com/amfcall/amfcall/amf"
)

// The gateway's discovery service: amfcall.discover() lists every service
// and method it answers, as "amfcall list" and "amfcall describe" read it:
//
//	[{name, description, methods: [{name, description, params: [{name, type}], returns}]}]
//
// in name order, methods in name order; the methods called without a
// service ("getSnapshots") are the service named "".

// discoveryService is the service name of amfcall.discover.
const discoveryService = "amfcall"

func init() {
	// Registered here rather than in the services literal: discover reads
	// that map, which Go does not allow in its own initializer.
	services[discoveryService] = map[string]method{"discover": discover}
}

// doc describes a method for discover.
type doc struct {
	desc    string
	params  [][2]string // name, type
	returns string
}

var serviceDocs = map[string]string{
	"":               "methods called without a service name, as the ByteArray example's client does",
	"ByteArray":      "the PyAMF ByteArray example's service",
	"echo":           "returns what it is sent, or fails on request",
	"secure":         "needs the Credentials header (or a Flex login) when the gateway has a user",
	"session":        "the user of the session that login started (cookie AMFSESSIONID or SessionToken header)",
	discoveryService: "this discovery service",
}

var methodDocs = map[string]doc{
	"getSnapshots":           {"lists the saved snapshots: [base URL, [types], ArrayCollection of {name}]", nil, "Array"},
	"ByteArray.saveSnapshot": {"saves an image and returns {url, name}", [][2]string{{"bytes", "ByteArray"}, {"type", "String"}}, "Object"},
	"ByteArray.getSnapshots": {"lists the saved snapshots, as getSnapshots", nil, "Array"},
	"echo.echo":              {"returns its argument (several come back as an array, none as null)", [][2]string{{"value", "*"}}, "*"},
	"echo.fail":              {"answers a fault (code Echo.Failure) whose description is its argument", [][2]string{{"message", "String"}}, "void"},
	"secure.whoami":          {"returns the caller's user name (null without credentials)", nil, "String"},
	"secure.echo":            {"returns its argument, to a caller with credentials", [][2]string{{"value", "*"}}, "*"},
	"login":                  {"starts a session: sets the cookie AMFSESSIONID and asks for a persistent SessionToken AMF header", [][2]string{{"user", "String"}, {"password", "String"}}, "String"},
	"logout":                 {"ends the session that login started", nil, "Boolean"},
	"session.whoami":         {"returns the session's user name (null without a session)", nil, "String"},
	"amfcall.discover":       {"lists the services and methods of this gateway", nil, "Array"},
}

// discover lists the gateway's services.
func discover(c *call, args []any) (any, *Fault) {
	if len(args) != 0 {
		return nil, argFault("discover() takes no arguments (%d given)", len(args))
	}
	names := make([]string, 0, len(services))
	for name := range services {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, svc := range names {
		mnames := make([]string, 0, len(services[svc]))
		for m := range services[svc] {
			mnames = append(mnames, m)
		}
		sort.Strings(mnames)
		methods := make([]any, 0, len(mnames))
		for _, m := range mnames {
			target := m
			if svc != "" {
				target = svc + "." + m
			}
			d := methodDocs[target]
			params := make([]any, 0, len(d.params))
			for _, p := range d.params {
				params = append(params, &amf.Object{Members: []amf.Member{{Name: "name", Value: p[0]}, {Name: "type", Value: p[1]}}})
			}
			methods = append(methods, &amf.Object{Members: []amf.Member{
				{Name: "name", Value: m},
				{Name: "description", Value: d.desc},
				{Name: "params", Value: params},
				{Name: "returns", Value: d.returns},
			}})
		}
		out = append(out, &amf.Object{Members: []amf.Member{
			{Name: "name", Value: svc},
			{Name: "description", Value: serviceDocs[svc]},
			{Name: "methods", Value: methods},
		}})
	}
	return out, nil
}
