package discover

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// Dialect names the discovery service a gateway answered.
type Dialect string

// The discovery services this package speaks.
const (
	// Amfcall is amfcall serve's own: amfcall.discover() returns a list
	// of {name, description, methods: [{name, description, params:
	// [{name, type}], returns}]}.
	Amfcall Dialect = "amfcall"
	// AMFPHP2 is AMFPHP 2's AmfphpDiscoveryService.discover(): a map of
	// service name to {name, methods: map of name to {name, parameters:
	// [{name, type, example}], comment, returnType}, comment}.
	AMFPHP2 Dialect = "amfphp2"
	// AMFPHP1 is AMFPHP 1.x's amfphp.DiscoveryService: getServices()
	// returns a tree of {label, data, children}, describeService({label})
	// returns [map of method name to {arguments, description}, ...].
	AMFPHP1 Dialect = "amfphp1"
	// Zend is Zend_Amf's Zend_Amf_Adobe_Introspector.introspect(service),
	// which returns an XML service description of one service; it cannot
	// list services.
	Zend Dialect = "zend"
)

// Catalog is what a gateway says it offers.
type Catalog struct {
	Dialect  Dialect   `json:"dialect"`
	Services []Service `json:"services"`
}

// Service is one remote service.
type Service struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Methods is nil when the discovery service lists service names only
	// (AMFPHP 1's getServices).
	Methods []Method `json:"methods,omitempty"`
}

// Method is one remote method.
type Method struct {
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Params      []Param `json:"params"`
	Returns     string  `json:"returns,omitempty"`
}

// Param is one parameter of a method.
type Param struct {
	Name    string `json:"name"`
	Type    string `json:"type,omitempty"`
	Example string `json:"example,omitempty"` // AMFPHP 2's "example:" doc tag
	Default string `json:"default,omitempty"` // Zend's defaultvalue
}

// Limits on what a discovery reply may describe; larger replies are cut
// to these with an error.
const (
	MaxServices = 10000
	MaxMethods  = 10000 // per service
	MaxParams   = 256   // per method
	maxDepth    = 16    // nesting of AMFPHP 1's service tree
	maxText     = 4096  // bytes kept of a description
	// MaxEntries bounds the methods and parameters of a catalog in
	// all, and the nodes of AMFPHP 1's service tree visited: a reply
	// may name one list many times by reference, so that 250 KB listing
	// 10,000 services that share one list of 10,000 methods described
	// 10^8 methods, and a tree of 16 levels each of 10 references to
	// the next took 10^16 steps.
	MaxEntries = 200000
	// MaxText bounds the bytes of text (names, descriptions, types,
	// examples) a catalog is read into: each use of a string the reply
	// sends once and names many times by reference is a copy of up to
	// maxText bytes, so that a 38 KB reply whose 197,120 parameters
	// share one object of four 5,000-byte strings took 3.9 GB and 33 s
	// to list.
	MaxText = 64 << 20
)

// textReader reads a catalog's texts, counting their bytes against
// MaxText.
type textReader struct{ n int }

// text is text(v), counted.
func (r *textReader) text(v any) string {
	s := text(v)
	r.n += len(s)
	return s
}

// over reports whether the texts read pass MaxText, with the error to
// return then.
func (r *textReader) over() error {
	if r.n <= MaxText {
		return nil
	}
	return shapeErr("more than %d bytes of names and descriptions in all (the reply may name the same text many times by reference)", MaxText)
}

// errTooMany is the error of a catalog past MaxEntries.
func errTooMany(what string) error {
	return shapeErr("more than %d %s in all (the reply may name the same list many times by reference)", MaxEntries, what)
}

// ErrShape is the error of a discovery reply whose shape is not the one
// its dialect documents.
var ErrShape = errors.New("the discovery reply has an unexpected shape")

// said is a name or text the gateway gave, for a message: escaped, so
// that no control or format character reaches the terminal (a newline
// would start a line of the gateway's making), and cut at 200 bytes.
func said(s string) string { return safetext.Escape(s, 200) }

func shapeErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrShape, fmt.Sprintf(format, a...))
}

// Targets returns the callable names of a catalog, sorted:
// "Service.method" for each method, and the service name alone for a
// service whose methods are not known.
func (c *Catalog) Targets() []string {
	var out []string
	for _, s := range c.Services {
		if len(s.Methods) == 0 {
			out = append(out, s.Name)
			continue
		}
		for _, m := range s.Methods {
			if s.Name == "" {
				out = append(out, m.Name)
			} else {
				out = append(out, s.Name+"."+m.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Find returns the service of that name, or nil.
func (c *Catalog) Find(name string) *Service {
	for i := range c.Services {
		if c.Services[i].Name == name {
			return &c.Services[i]
		}
	}
	return nil
}

// entries returns the members of a map-like AMF value (object, ECMA
// array, the associative part of an AMF3 array) or the elements of a list
// (named by their index), in order.
func entries(v any) ([]amf.Member, bool) {
	switch x := amf.Unwrap(v).(type) {
	case *amf.Object:
		return x.Members, true
	case *amf.ECMAArray:
		return x.Members, true
	case *amf.Array:
		out := make([]amf.Member, 0, len(x.Dense)+len(x.Assoc))
		for i, e := range x.Dense {
			out = append(out, amf.Member{Name: strconv.Itoa(i), Value: e})
		}
		return append(out, x.Assoc...), true
	case []any:
		out := make([]amf.Member, 0, len(x))
		for i, e := range x {
			out = append(out, amf.Member{Name: strconv.Itoa(i), Value: e})
		}
		return out, true
	}
	return nil, false
}

// field returns the member of a map-like value.
func field(v any, names ...string) any {
	ms, _ := entries(v)
	for _, n := range names {
		for _, m := range ms {
			if m.Name == n {
				return amf.Unwrap(m.Value)
			}
		}
	}
	return nil
}

// has reports whether a map-like value has a member of that name.
func has(v any, name string) bool {
	ms, _ := entries(v)
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}

// text returns a string value, cut to maxText bytes; numbers and booleans
// are written out; anything else is "".
func text(v any) string {
	var s string
	switch x := amf.Unwrap(v).(type) {
	case string:
		s = x
	case amf.Int:
		s = strconv.Itoa(int(x))
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		s = strconv.FormatBool(x)
	}
	s = strings.TrimSpace(s)
	if len(s) > maxText {
		s = s[:maxText] + "..."
	}
	return s
}

// ParseTree reads the service tree of amfcall's and AMFPHP 2's discovery
// replies: a list or map of services {name, description|comment,
// methods}, whose methods are a list or map of {name,
// description|comment, params|parameters, returns|returnType}. A map key
// stands in for a missing name.
func ParseTree(v any, d Dialect) (*Catalog, error) {
	svcs, ok := entries(v)
	if !ok {
		return nil, shapeErr("want a list or map of services, got %s", amf.Describe(v))
	}
	if len(svcs) > MaxServices {
		return nil, shapeErr("%d services (at most %d are read)", len(svcs), MaxServices)
	}
	cat := &Catalog{Dialect: d}
	total := 0
	var tr textReader
	for _, sm := range svcs {
		if _, ok := entries(sm.Value); !ok {
			return nil, shapeErr("service \"%s\" is %s, not an object", said(sm.Name), amf.Describe(sm.Value))
		}
		s := Service{Name: tr.text(field(sm.Value, "name")), Description: tr.text(field(sm.Value, "description", "comment"))}
		if !has(sm.Value, "name") {
			s.Name = sm.Name
		}
		methods, ok := entries(field(sm.Value, "methods"))
		if !ok && field(sm.Value, "methods") != nil {
			return nil, shapeErr("the methods of \"%s\" are %s", said(s.Name), amf.Describe(field(sm.Value, "methods")))
		}
		if len(methods) > MaxMethods {
			return nil, shapeErr("service \"%s\" has %d methods (at most %d are read)", said(s.Name), len(methods), MaxMethods)
		}
		if total += len(methods); total > MaxEntries {
			return nil, errTooMany("methods and parameters")
		}
		s.Methods = []Method{}
		for _, mm := range methods {
			m := Method{Name: tr.text(field(mm.Value, "name")), Description: tr.text(field(mm.Value, "description", "comment")),
				Returns: tr.text(field(mm.Value, "returns", "returnType")), Params: []Param{}}
			if !has(mm.Value, "name") {
				m.Name = mm.Name
			}
			params, _ := entries(field(mm.Value, "params", "parameters"))
			if len(params) > MaxParams {
				return nil, shapeErr("method %s.%s has %d parameters (at most %d are read)", said(s.Name), said(m.Name), len(params), MaxParams)
			}
			if total += len(params); total > MaxEntries {
				return nil, errTooMany("methods and parameters")
			}
			for _, pm := range params {
				p := Param{Name: tr.text(field(pm.Value, "name")), Type: tr.text(field(pm.Value, "type")),
					Example: tr.text(field(pm.Value, "example")), Default: tr.text(field(pm.Value, "default"))}
				if s, ok := amf.Unwrap(pm.Value).(string); ok {
					p.Name = s // a bare list of names
				}
				m.Params = append(m.Params, p)
			}
			if err := tr.over(); err != nil {
				return nil, err
			}
			s.Methods = append(s.Methods, m)
		}
		if err := tr.over(); err != nil {
			return nil, err
		}
		cat.Services = append(cat.Services, s)
	}
	return cat, nil
}

// ParseAMFPHP1Services reads AMFPHP 1.x's getServices() reply: a list of
// {label, data, children?}, where a node with children is a package whose
// services are named "package.Service".
func ParseAMFPHP1Services(v any) (*Catalog, error) {
	cat := &Catalog{Dialect: AMFPHP1}
	visited := 0
	var tr textReader
	var walk func(v any, prefix string, depth int) error
	walk = func(v any, prefix string, depth int) error {
		if depth > maxDepth {
			return shapeErr("the service tree nests deeper than %d", maxDepth)
		}
		nodes, ok := entries(v)
		if !ok {
			return shapeErr("want a list of {label, children}, got %s", amf.Describe(v))
		}
		if visited += len(nodes); visited > MaxEntries {
			return errTooMany("nodes of the service tree")
		}
		for _, n := range nodes {
			label := tr.text(field(n.Value, "label"))
			if label == "" {
				return shapeErr("a service node has no label")
			}
			name := label
			if prefix != "" {
				name = prefix + "." + label
			}
			if kids := field(n.Value, "children"); kids != nil {
				if err := walk(kids, name, depth+1); err != nil {
					return err
				}
				continue
			}
			if len(cat.Services) >= MaxServices {
				return shapeErr("more than %d services", MaxServices)
			}
			// A name is its package's names and its own, each up to
			// maxText bytes: counted whole.
			if tr.n += len(name) - len(label); tr.over() != nil {
				return tr.over()
			}
			cat.Services = append(cat.Services, Service{Name: name})
		}
		return nil
	}
	if err := walk(v, "", 0); err != nil {
		return nil, err
	}
	return cat, nil
}

// ParseAMFPHP1Description reads AMFPHP 1.x's describeService reply: an
// array whose first element maps each method name to {arguments: [names],
// description}; its second, when a string, describes the service. A first
// element that is a list (no methods) gives a service without methods.
func ParseAMFPHP1Description(v any, service string) (*Service, error) {
	parts, ok := entries(v)
	if !ok || len(parts) == 0 {
		return nil, shapeErr("want [methods, ...], got %s", amf.Describe(v))
	}
	s := &Service{Name: service, Methods: []Method{}}
	var tr textReader
	if len(parts) > 1 {
		s.Description = tr.text(parts[1].Value)
	}
	methods, ok := entries(parts[0].Value)
	if !ok {
		return nil, shapeErr("want a map of methods, got %s", amf.Describe(parts[0].Value))
	}
	if a, isArr := amf.Unwrap(parts[0].Value).(*amf.Array); isArr && len(a.Assoc) == 0 {
		return s, nil // "accessible but no usable methods"
	}
	if len(methods) > MaxMethods {
		return nil, shapeErr("%d methods (at most %d are read)", len(methods), MaxMethods)
	}
	total := len(methods)
	for _, mm := range methods {
		m := Method{Name: mm.Name, Description: tr.text(field(mm.Value, "description")), Returns: tr.text(field(mm.Value, "returns")), Params: []Param{}}
		args, _ := entries(field(mm.Value, "arguments"))
		if len(args) > MaxParams {
			return nil, shapeErr("method %s has %d arguments", said(mm.Name), len(args))
		}
		if total += len(args); total > MaxEntries {
			return nil, errTooMany("methods and arguments")
		}
		for _, a := range args {
			p := Param{Name: tr.text(a.Value)}
			if p.Name == "" {
				p.Name = tr.text(field(a.Value, "name"))
				p.Type = tr.text(field(a.Value, "type"))
			}
			m.Params = append(m.Params, p)
		}
		if err := tr.over(); err != nil {
			return nil, err
		}
		s.Methods = append(s.Methods, m)
	}
	return s, nil
}
