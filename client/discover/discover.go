package discover

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// The targets the discovery dialects answer.
const (
	TargetAmfcall          = "amfcall.discover"
	TargetAMFPHP2          = "AmfphpDiscoveryService.discover"
	TargetAMFPHP1List      = "amfphp.DiscoveryService.getServices"
	TargetAMFPHP1Describe  = "amfphp.DiscoveryService.describeService"
	TargetZendIntrospector = "Zend_Amf_Adobe_Introspector.introspect"
)

// Attempt is one discovery request and how the gateway took it.
type Attempt struct {
	Target  string
	Outcome string // "not found", or the fault or problem
}

// NoDiscoveryError says that the gateway answers none of the discovery
// services.
type NoDiscoveryError struct {
	Tried []Attempt
	// Wording names the gateway whose "not found" faults the answers
	// were in (see [ClassifyFault]), or is "".
	Wording string
}

func (e *NoDiscoveryError) Error() string {
	names := make([]string, len(e.Tried))
	for i, a := range e.Tried {
		names[i] = a.Target
	}
	s := "the gateway offers no discovery service amfcall knows (tried " + strings.Join(names, ", ") + ")"
	if e.Wording != "" {
		s += "; its faults are worded as " + e.Wording + "'s"
	}
	// The first answer that was not a "not found", and how many more.
	odd := 0
	for _, a := range e.Tried {
		if a.Outcome == "not found" {
			continue
		}
		if odd == 0 {
			s += "; " + a.Target + " answered, but " + a.Outcome
		}
		odd++
	}
	if odd > 1 {
		s += fmt.Sprintf(" (and %d more alike)", odd-1)
	}
	return s
}

// ExitCode is 1: the gateway answered, but not with a listing.
func (e *NoDiscoveryError) ExitCode() int { return 1 }

// RefusedError says that the gateway has a discovery service but refused
// to answer: AMFPHP 2's needs a user with the amfphp_admin role by
// default.
type RefusedError struct {
	Target string
	Fault  *client.Fault
	// Alike names the other discovery targets that the gateway answered
	// with the same fault (the target's own name aside): a gateway that
	// answers every call so, whose fault then says nothing of Target.
	Alike []string
}

func (e *RefusedError) Error() string {
	if len(e.Alike) == 0 {
		return fmt.Sprintf("the gateway refused %s: %v", e.Target, e.Fault)
	}
	names := append([]string{e.Target}, e.Alike...)
	last := len(names) - 1
	return fmt.Sprintf("the gateway answered %s and %s with the same fault (%v), as it may answer any call: it does not say whether it has one of them",
		strings.Join(names[:last], ", "), names[last], e.Fault)
}

// Unwrap returns the fault.
func (e *RefusedError) Unwrap() error { return e.Fault }

// ExitCode is 1, as for a fault.
func (e *RefusedError) ExitCode() int { return 1 }

// NotFoundError says that the catalog has no such service or method.
type NotFoundError struct {
	Name    string
	Dialect Dialect
	// Known is a few of the services the catalog lists, "..." last when
	// it lists more.
	Known []string
	// Loose is a few of the methods it lists that are called without a
	// service, "..." last when there are more; nil when there are none.
	Loose []string
	// Near is the service or method without a service that the catalog
	// lists under Name in another case ("ECHO" for "echo"), or "".
	Near string
}

func (e *NotFoundError) Error() string {
	s := fmt.Sprintf("%q is not in what the gateway's discovery service (%s) lists", e.Name, e.Dialect)
	// The names are the gateway's: a newline in one started a line of
	// its making on stderr ("amfcall: hint: ...").
	list := func(names []string) string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = said(n)
		}
		return strings.Join(out, ", ")
	}
	switch {
	case len(e.Known) > 0 && len(e.Loose) > 0:
		s += "; it lists the services " + list(e.Known) +
			", and methods called without a service: " + list(e.Loose)
	case len(e.Known) > 0:
		s += "; it lists the services " + list(e.Known)
	case len(e.Loose) > 0:
		s += "; it lists no service, only methods called without one: " + list(e.Loose)
	}
	return s
}

// ExitCode is 1.
func (e *NotFoundError) ExitCode() int { return 1 }

// List asks the gateway for its services. It tries amfcall's, AMFPHP 2's
// and AMFPHP 1's discovery services in turn and stops at the first that
// answers with a listing. A fault that is no "not found" is a refusal
// (a discovery service that wants a login), reported when no other
// target answers with a listing; when several targets get the same
// fault, the gateway answers any call so (a *RefusedError with Alike).
// A transport failure (an *client.HTTPError) ends it at once.
func List(ctx context.Context, c *client.Client) (*Catalog, error) {
	var tried []Attempt
	var refused *RefusedError
	wording := ""
	for _, d := range []struct {
		target string
		parse  func(any) (*Catalog, error)
	}{
		{TargetAmfcall, func(v any) (*Catalog, error) { return ParseTree(v, Amfcall) }},
		{TargetAMFPHP2, func(v any) (*Catalog, error) { return ParseTree(v, AMFPHP2) }},
		{TargetAMFPHP1List, ParseAMFPHP1Services},
	} {
		v, err := c.Call(ctx, d.target, nil)
		if err != nil {
			var f *client.Fault
			if !errors.As(err, &f) {
				return nil, err
			}
			if k, gw := ClassifyFault(f); k != OtherFault {
				tried = append(tried, Attempt{d.target, "not found"})
				if wording == "" {
					wording = gw
				}
				continue
			}
			// Refused, or a fault for any call: the next target tells.
			switch {
			case refused == nil:
				refused = &RefusedError{Target: d.target, Fault: f}
			case sameFault(refused.Fault, refused.Target, f, d.target):
				refused.Alike = append(refused.Alike, d.target)
			}
			continue
		}
		cat, err := d.parse(v)
		if errors.Is(err, ErrShape) {
			// A gateway that answers any call (with a default, or
			// the arguments back) has no such service: try the next.
			tried = append(tried, Attempt{d.target, "not with a list of services: " + strings.TrimPrefix(err.Error(), ErrShape.Error()+": ")})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.target, err)
		}
		return cat, nil
	}
	if refused != nil {
		return nil, refused
	}
	return nil, &NoDiscoveryError{Tried: tried, Wording: wording}
}

// sameFault reports whether the faults a, the answer to the call of
// target ta, and b, to tb, say the same, once each target's names are
// taken out of its description ("Unknown service X" for each X).
func sameFault(a *client.Fault, ta string, b *client.Fault, tb string) bool {
	strip := func(s, target string) string {
		for _, n := range []string{target, target[:max(strings.LastIndexByte(target, '.'), 0)], target[strings.LastIndexByte(target, '.')+1:]} {
			if n != "" {
				s = strings.ReplaceAll(s, n, "")
			}
		}
		return s
	}
	return a.Code == b.Code && strip(a.Description, ta) == strip(b.Description, tb) && strip(a.Details, ta) == strip(b.Details, tb)
}

// Describe asks the gateway for the methods of one service. It lists the
// services first (see [List]); with AMFPHP 1 it then asks
// describeService; where no listing is offered it asks Zend_Amf's
// introspector.
func Describe(ctx context.Context, c *client.Client, service string) (*Service, Dialect, error) {
	return NewDescriber(c).Describe(ctx, service)
}

// Describer describes services of one gateway with one listing: the
// services are listed ([List], up to three calls) at its first Describe
// only, which the next ones reuse, so that a name tried one way then
// another (describe S.M, then the service S) costs no listing again.
// It is not safe for concurrent use.
type Describer struct {
	c      *client.Client
	listed bool
	cat    *Catalog
	err    error
}

// NewDescriber returns a Describer of c's gateway.
func NewDescriber(c *client.Client) *Describer { return &Describer{c: c} }

// list lists the services once. A *NoDiscoveryError comes as a copy,
// which Describe may add to.
func (d *Describer) list(ctx context.Context) (*Catalog, error) {
	if !d.listed {
		d.cat, d.err = List(ctx, d.c)
		d.listed = true
	}
	if none, ok := d.err.(*NoDiscoveryError); ok {
		cp := *none
		cp.Tried = append([]Attempt(nil), none.Tried...)
		return d.cat, &cp
	}
	return d.cat, d.err
}

// Describe is [Describe] with the Describer's listing.
func (d *Describer) Describe(ctx context.Context, service string) (*Service, Dialect, error) {
	c := d.c
	cat, err := d.list(ctx)
	var none *NoDiscoveryError
	switch {
	case errors.As(err, &none):
		s, zerr := describeZend(ctx, c, service)
		if zerr == nil {
			return s, Zend, nil
		}
		var f *client.Fault
		if errors.As(zerr, &f) && IsNotFound(f) {
			none.Tried = append(none.Tried, Attempt{TargetZendIntrospector, "not found"})
			return nil, "", none
		}
		if errors.Is(zerr, ErrShape) {
			none.Tried = append(none.Tried, Attempt{TargetZendIntrospector, "not with a description: " + strings.TrimPrefix(zerr.Error(), ErrShape.Error()+": ")})
			return nil, "", none
		}
		return nil, Zend, zerr
	case err != nil:
		return nil, "", err
	}
	if cat.Dialect == AMFPHP1 {
		if cat.Find(service) == nil {
			return nil, AMFPHP1, notFound(service, cat)
		}
		arg := &amf.Object{Members: []amf.Member{{Name: "data", Value: ""}, {Name: "label", Value: strings.ReplaceAll(service, ".", "/")}}}
		v, err := c.Call(ctx, TargetAMFPHP1Describe, []any{arg})
		if err != nil {
			return nil, AMFPHP1, err
		}
		s, err := ParseAMFPHP1Description(v, service)
		if err != nil {
			return nil, AMFPHP1, fmt.Errorf("%s: %w", TargetAMFPHP1Describe, err)
		}
		return s, AMFPHP1, nil
	}
	if s := cat.Find(service); s != nil {
		return s, cat.Dialect, nil
	}
	return nil, cat.Dialect, notFound(service, cat)
}

func describeZend(ctx context.Context, c *client.Client, service string) (*Service, error) {
	v, err := c.Call(ctx, TargetZendIntrospector, []any{service})
	if err != nil {
		return nil, err
	}
	s, ok := amf.Unwrap(v).(string)
	if !ok {
		return nil, shapeErr("the introspector answered %s, not a description", amf.Describe(v))
	}
	return ParseZendDescription(s, service)
}

// notFound is the error of a name that cat does not list, with the
// first five of its services and of its methods called without a service.
func notFound(name string, cat *Catalog) *NotFoundError {
	const n = 5
	var services, loose []string
	for _, s := range cat.Services {
		if s.Name != "" {
			if len(services) <= n {
				services = append(services, s.Name)
			}
			continue
		}
		// The methods called without a service (list shows them by
		// their own name), which are no service.
		for _, m := range s.Methods {
			if len(loose) > n {
				break
			}
			loose = append(loose, m.Name)
		}
	}
	cut := func(names []string) []string {
		if len(names) > n {
			return append(names[:n], "...")
		}
		return names
	}
	near := ""
	for _, s := range cat.Services {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			near = s.Name
			break
		}
		if s.Name == "" {
			for _, m := range s.Methods {
				if near == "" && strings.EqualFold(m.Name, name) {
					near = m.Name
				}
			}
		}
	}
	return &NotFoundError{Name: name, Dialect: cat.Dialect, Known: cut(services), Loose: cut(loose), Near: near}
}
