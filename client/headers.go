package client

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// applyServerHeaders does what the gateway's reply headers ask.
func (c *Client) applyServerHeaders(p *amf.Packet) {
	var st headerChanges
	defer st.report(c)
	for _, h := range p.Headers {
		v := amf.Unwrap(h.Value)
		switch h.Name {
		case "AppendToGatewayUrl":
			s, ok := v.(string)
			if !ok {
				st.warn(c, "append-kind", fmt.Sprintf("ignored the gateway's AppendToGatewayUrl header: its value is a %s, not a string", kindOf(v)))
				continue
			}
			c.mu.Lock()
			url := c.base + s
			if why := c.offOrigin(url); why != "" {
				c.mu.Unlock()
				st.warn(c, "append-origin", fmt.Sprintf("ignored the gateway's AppendToGatewayUrl header: \"%s\" makes the URL %s, %s", safetext.Escape(s, 200), safetext.Escape(redact(url), 300), why))
				continue
			}
			changed := c.appended != s
			c.appended = s
			c.mu.Unlock()
			if changed {
				c.infof("the gateway asked for a new URL (AppendToGatewayUrl): %s", redact(url))
			}
		case "ReplaceGatewayUrl":
			s, ok := v.(string)
			if !ok || checkURL(s) != nil {
				st.warn(c, "replace-kind", fmt.Sprintf("ignored the gateway's ReplaceGatewayUrl header: %s is not an http(s) URL", describe(v)))
				continue
			}
			c.mu.Lock()
			if why := c.offOrigin(s); why != "" {
				c.mu.Unlock()
				st.warn(c, "replace-origin", fmt.Sprintf("ignored the gateway's ReplaceGatewayUrl header: it names %s, %s", safetext.Escape(redact(s), 300), why))
				continue
			}
			changed := c.base != s || c.appended != ""
			c.base, c.appended = s, ""
			c.mu.Unlock()
			if changed {
				c.infof("the gateway asked for a new URL (ReplaceGatewayUrl): %s", redact(s))
			}
		case "RequestPersistentHeader":
			c.persistentHeader(v, &st)
		default:
			if h.MustUnderstand {
				st.warn(c, "must-understand", fmt.Sprintf("the gateway sent the header \"%s\" marked must-understand, which amfcall does not know; ignored", safetext.Escape(h.Name, 200)))
			}
		}
	}
}

// offOrigin says why the client does not move to the gateway URL next,
// which a reply header asked for, or returns "": a URL on another
// scheme, host or port than the one the user gave (or with user
// information of its own) would take the credentials, the -H headers
// and the Flex login there, which an HTTP redirect never does.
func (c *Client) offOrigin(next string) string {
	from, err1 := url.Parse(c.original)
	to, err2 := url.Parse(next)
	switch {
	case err1 != nil || err2 != nil:
		return "not a URL"
	case downgrade(from, to):
		return "plain http where the gateway given is https; the URL given is kept"
	case !SameOrigin(from, to):
		return "another host than the gateway given (" + origin(from) + "), which would get the credentials and headers; the URL given is kept: use the new one as the gateway URL if you trust it"
	case to.User.String() != from.User.String():
		return "with user information of its own; the URL given is kept"
	}
	return ""
}

// MaxServerHeaders bounds the AMF headers a gateway may have the client
// send with every request (RequestPersistentHeader): a gateway asks for
// one or two (a session token, credentials); a hostile one asked for a
// header per member of a map, 80,000 of them in a 720 KB reply, which
// took 26 s to apply (each name looked up among the others) and made a
// session file whose every later request failed to encode (more than the
// 65,535 headers a packet holds). One more name than this is ignored,
// with a warning; a header already sent is still replaced or removed.
const MaxServerHeaders = 64

// MaxServerHeaderBytes bounds what the headers a gateway asked for
// (RequestPersistentHeader) add to every request, in all, as
// sendCost estimates it. A header is a session token or credentials; a
// hostile gateway asked for one whose value named a 1 MiB string 2,000
// times by AMF3 reference, a reply of 1 MB: the next request of the run
// (a Flex call after its ping, list's next dialect, each poll of
// subscribe) wrote the string at each use, as AMF0 does, a packet of
// 2 GB (10 GB allocated, 65 s); 20,000 references ran out of memory. A
// header past the bound is ignored, with a warning.
const MaxServerHeaderBytes = 1 << 20

// maxHeaderWalk bounds the values' nodes sendCost visits for the headers
// of one reply: a reply can name one large value as many headers' value.
const maxHeaderWalk = 16 << 20

// headerChanges counts, over one reply, the persistent headers the
// gateway asked for that were applied and those ignored past
// MaxServerHeaders, so that a reply of millions of them says so in a
// bounded number of lines.
type headerChanges struct {
	told    int // notices given
	untold  int // changes made past the notices' bound
	ignored int // new names refused: MaxServerHeaders reached
	first   string
	// said counts the warnings of each kind: the first is given, the
	// others counted (a hostile reply of 65,535 headers marked
	// must-understand gave 65,535 warning lines).
	said map[string]int
	// walked counts the nodes sendCost visited for this reply.
	walked int64
}

// warn gives msg if it is the first warning of its kind in the reply,
// else counts it.
func (st *headerChanges) warn(c *Client, kind, msg string) {
	if st.said == nil {
		st.said = map[string]int{}
	}
	if st.said[kind]++; st.said[kind] == 1 {
		c.warnf("%s", msg)
	}
}

// persistentHeader applies a RequestPersistentHeader value. The OSFlash
// form is an object {name, mustUnderstand, data}; PyAMF's client reads
// any other object as a map of header names to values. A null or
// undefined data removes the header, as NetConnection.addHeader does.
func (c *Client) persistentHeader(v any, st *headerChanges) {
	var members []amf.Member
	switch x := v.(type) {
	case *amf.Object:
		members = x.Members
	case *amf.ECMAArray:
		members = x.Members
	default:
		st.warn(c, "persistent-kind", fmt.Sprintf("ignored the gateway's RequestPersistentHeader header: its value is a %s, not an object", kindOf(v)))
		return
	}
	get := func(name string) (any, bool) {
		for _, m := range members {
			if m.Name == name {
				return amf.Unwrap(m.Value), true
			}
		}
		return nil, false
	}
	if name, ok := get("name"); ok {
		if s, isStr := name.(string); isStr {
			mu, _ := get("mustUnderstand")
			b, _ := mu.(bool)
			data, _ := get("data")
			c.setServerHeader(amf.Header{Name: s, MustUnderstand: b, Value: data}, st)
			return
		}
	}
	for _, m := range members {
		c.setServerHeader(amf.Header{Name: m.Name, Value: m.Value}, st)
	}
}

// setServerHeader applies one header of a RequestPersistentHeader: set,
// replaced, or removed (a null or undefined value); a new name past
// MaxServerHeaders is counted in st and ignored.
func (c *Client) setServerHeader(h amf.Header, st *headerChanges) {
	c.mu.Lock()
	var msg string
	switch amf.Unwrap(h.Value).(type) {
	case nil, amf.Undefined:
		c.server = removeHeader(c.server, h.Name)
		c.user = removeHeader(c.user, h.Name)
		delete(c.serverBytes, h.Name)
		msg = fmt.Sprintf("the gateway asked to stop sending the %q header", h.Name)
	default:
		if !hasHeader(c.server, h.Name) && len(c.server) >= MaxServerHeaders {
			c.mu.Unlock()
			if st.ignored++; st.ignored == 1 {
				st.first = h.Name
			}
			return
		}
		others := int64(0)
		for name, n := range c.serverBytes {
			if name != h.Name {
				others += n
			}
		}
		left := MaxServerHeaderBytes - others
		cost, steps := sendCost(h, c.cfg.AMF3 || c.cfg.Flex, left, maxHeaderWalk-st.walked)
		st.walked += steps
		if cost > left {
			c.mu.Unlock()
			room := fmt.Sprintf("the %d bytes the gateway's headers may add to every request in all", MaxServerHeaderBytes)
			if left < MaxServerHeaderBytes {
				room = fmt.Sprintf("the %d bytes left of %s", max(left, 0), room)
			}
			st.warn(c, "too-large", fmt.Sprintf("ignored the gateway's header \"%s\" (RequestPersistentHeader): it would take more than %s (a value can name one string many times by reference; a request writes it whole at each use)",
				safetext.Escape(h.Name, 80), room))
			return
		}
		c.server = setHeader(c.server, h)
		if c.serverBytes == nil {
			c.serverBytes = map[string]int64{}
		}
		c.serverBytes[h.Name] = cost
		msg = fmt.Sprintf("the gateway asked to send the %q header with every request", h.Name)
	}
	c.mu.Unlock()
	if st.told < MaxServerHeaders {
		st.told++
		c.infof("%s", msg)
	} else {
		st.untold++
	}
}

// report tells what st counted past its notices, once for a reply.
func (st *headerChanges) report(c *Client) {
	more := 0
	for _, n := range st.said {
		more += n - 1
	}
	if more > 0 {
		c.warnf("and %d more of the reply's headers were ignored for the same reasons", more)
	}
	if st.untold > 0 {
		c.infof("the gateway asked for %d more changes of the headers sent with every request", st.untold)
	}
	if st.ignored > 0 {
		c.warnf("ignored %d of the headers the gateway asked to have sent with every request (RequestPersistentHeader), the first \"%s\": it asked for more than %d", st.ignored, safetext.Escape(st.first, 80), MaxServerHeaders)
	}
}

func hasHeader(hs []amf.Header, name string) bool {
	for i := range hs {
		if hs[i].Name == name {
			return true
		}
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case amf.Undefined:
		return "undefined"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, amf.Int:
		return "number"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "*amf.")
}

func describe(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(oneLine(s))
	}
	return "a " + kindOf(v)
}

// sendCost estimates the bytes header h takes in a request packet: its
// name, and its value with each container met again in the value
// counted as a reference. In AMF0 each string is counted whole at each
// use (AMF0 writes no string references); in AMF3 (amf3: the client
// writes every header value through the AMF3 switch, as --amf3 and Flex
// do; and below an AVMPlus value in any case) a string met again is a
// reference too, and so is a member name, as the encoder writes them
// (one table for the whole value). It stops once the cost passes limit,
// or after visiting steps nodes (then the cost is limit+1), and returns
// the nodes it visited.
func sendCost(h amf.Header, amf3 bool, limit, steps int64) (cost, visited int64) {
	cost = 8 + int64(len(h.Name))
	seen := map[any]bool{}
	strs := map[string]bool{} // the AMF3 strings written so far
	// text is the cost of a string (a value or a member name): whole in
	// AMF0, and in AMF3 the first time only.
	text := func(s string, in3 bool) int64 {
		if !in3 || s == "" {
			return 5 + int64(len(s))
		}
		if strs[s] {
			return 5
		}
		strs[s] = true
		return 5 + int64(len(s))
	}
	var walk func(v any, in3 bool)
	walk = func(v any, in3 bool) {
		if cost > limit {
			return
		}
		if visited++; visited > steps {
			cost = limit + 1
			return
		}
		// A container met again is a reference.
		switch v.(type) {
		case *amf.Object, *amf.ECMAArray, *amf.Array, *amf.Vector, *amf.Dictionary, *amf.ByteArray:
			if seen[v] {
				cost += 5
				return
			}
			seen[v] = true
		}
		switch x := v.(type) {
		case amf.AVMPlus:
			cost++
			walk(x.Value, true)
		case string:
			cost += text(x, in3)
		case amf.XML:
			cost += 5 + int64(len(x.Text))
		case *amf.ByteArray:
			cost += 5 + int64(len(x.Data))
		case *amf.Object:
			cost += text(x.Class, in3)
			for _, m := range x.Members {
				cost += text(m.Name, in3)
				walk(m.Value, in3)
			}
		case *amf.ECMAArray:
			cost += 5
			for _, m := range x.Members {
				cost += text(m.Name, in3)
				walk(m.Value, in3)
			}
		case *amf.Array:
			cost += 5
			for _, e := range x.Dense {
				walk(e, in3)
			}
			for _, m := range x.Assoc {
				cost += text(m.Name, in3)
				walk(m.Value, in3)
			}
		case *amf.Vector:
			cost += text(x.ObjectType, in3) + 9*int64(len(x.Ints)+len(x.Uints)+len(x.Doubles))
			for _, e := range x.Objects {
				walk(e, in3)
			}
		case *amf.Dictionary:
			cost += 5
			for _, e := range x.Entries {
				walk(e.Key, in3)
				walk(e.Value, in3)
			}
		default:
			cost += 9 // a number, a date, a boolean, null
		}
	}
	walk(h.Value, amf3)
	return cost, visited
}
