package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// replyExtras is what methods add to a reply besides their values: HTTP
// cookies and AMF reply headers.
type replyExtras struct {
	cookies []*http.Cookie
	headers []amf.Header
	// listed is the images getSnapshots listed, as the objects of its
	// reply, for the request's other getSnapshots calls (nil: none yet,
	// or an image was saved since).
	listed []any
	// calls counts the calls logged (logCall); unlogged those past
	// maxCallLines, and unloggedFaults the faults among them.
	calls, unlogged, unloggedFaults int
	// login is the session key the request's last login call began.
	login string
}

// setCookie adds a cookie to the reply, in place of one of the same
// name that an earlier call of the request set, and setHeader an AMF
// reply header in place of one of the same name: the last call's wins,
// as it would have on the client. Before, each login call of a packet
// added its own: 10,000 logins were a reply of 10,000 Set-Cookie lines
// and 10,000 AMF headers.
func (x *replyExtras) setCookie(ck *http.Cookie) {
	for i, old := range x.cookies {
		if old.Name == ck.Name {
			x.cookies[i] = ck
			return
		}
	}
	x.cookies = append(x.cookies, ck)
}

func (x *replyExtras) setHeader(h amf.Header) {
	for i, old := range x.headers {
		if old.Name == h.Name {
			x.headers[i] = h
			return
		}
	}
	x.headers = append(x.headers, h)
}

// extrasKey holds a request's *replyExtras in its context.
type extrasKey struct{}

// sessionCookie is the cookie login sets.
const sessionCookie = "AMFSESSIONID"

// login(user, password) starts a session, as many real gateways do: it
// checks the password (any user is welcome when Options.User is empty),
// sets the session cookie, and asks the client, with a
// RequestPersistentHeader reply header, to send the SessionToken header
// with every later request. session.whoami then knows the user from
// either; logout ends the session.
func login(c *call, args []any) (any, *Fault) {
	if len(args) != 2 {
		return nil, argFault("login(user, password) takes 2 arguments (%d given)", len(args))
	}
	user, ok1 := amf.Unwrap(args[0]).(string)
	password, ok2 := amf.Unwrap(args[1]).(string)
	if !ok1 || !ok2 || user == "" {
		return nil, argFault("login(user, password) takes two strings")
	}
	if !c.g.checkPassword(user, password) {
		return nil, &Fault{Code: "AuthenticationError", Description: "Authentication failed", Name: "AuthenticationError"}
	}
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	c.g.sessMu.Lock()
	if c.reply.login != "" {
		// An earlier login of this request: its session is one the
		// reply no longer carries, so no one can use it; it would only
		// crowd others out of the table.
		delete(c.g.sessions, c.reply.login)
	}
	c.reply.login = "cookie:" + token
	c.g.addSessionLocked(c.reply.login, user)
	c.g.sessMu.Unlock()
	c.reply.setCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	c.reply.setHeader(amf.Header{Name: "RequestPersistentHeader", Value: &amf.Object{Members: []amf.Member{
		{Name: "name", Value: "SessionToken"}, {Name: "mustUnderstand", Value: false}, {Name: "data", Value: token},
	}}})
	return &amf.Object{Members: []amf.Member{{Name: "user", Value: user}, {Name: "session", Value: "started"}}}, nil
}

// sessionUser returns the user of the call's session: from the cookie,
// else from the SessionToken header.
func (c *call) sessionUser() (string, string) {
	var tokens []string
	if ck, err := c.r.Cookie(sessionCookie); err == nil {
		tokens = append(tokens, ck.Value)
	}
	if c.token != "" {
		tokens = append(tokens, c.token)
	}
	c.g.sessMu.Lock()
	defer c.g.sessMu.Unlock()
	for _, t := range tokens {
		if s, ok := c.g.sessions["cookie:"+t]; ok {
			return s.user, t
		}
	}
	return "", ""
}

// session.whoami() returns {user, via} for a logged-in session, or a
// fault.
func sessionWhoami(c *call, args []any) (any, *Fault) {
	u, _ := c.sessionUser()
	if u == "" {
		return nil, &Fault{Code: "Session.Required", Description: "no session: call login(user, password) first", Name: "SessionError"}
	}
	return u, nil
}

// logout() ends the session, expires the cookie and asks the client to
// stop sending SessionToken.
func logout(c *call, args []any) (any, *Fault) {
	u, t := c.sessionUser()
	if u == "" {
		return false, nil
	}
	c.g.sessMu.Lock()
	delete(c.g.sessions, "cookie:"+t)
	c.g.sessMu.Unlock()
	c.reply.setCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	c.reply.setHeader(amf.Header{Name: "RequestPersistentHeader", Value: &amf.Object{Members: []amf.Member{
		{Name: "name", Value: "SessionToken"}, {Name: "mustUnderstand", Value: false}, {Name: "data", Value: nil},
	}}})
	return true, nil
}

// method is one remote method.
type method func(c *call, args []any) (any, *Fault)

// services are the gateway's methods by service name; "" holds the
// methods called without a service ("getSnapshots").
var services = map[string]map[string]method{
	"": {
		"getSnapshots": getSnapshots,
		"login":        login,
		"logout":       logout,
	},
	"session": {
		"whoami": sessionWhoami,
	},
	"ByteArray": {
		"saveSnapshot": saveSnapshot,
		"getSnapshots": getSnapshots,
	},
	"echo": {
		"echo": echo,
		"fail": echoFail,
	},
	"secure": {
		"whoami": whoami,
		"echo":   echo,
	},
}

// protected services need the configured credentials.
var protected = map[string]bool{"secure": true}

// dispatch calls target ("service.method" or "method") with args.
func (g *Gateway) dispatch(c *call, target string, args []any) (any, *Fault) {
	svc, name := "", target
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		svc, name = target[:i], target[i+1:]
	}
	methods, ok := services[svc]
	if !ok {
		return nil, &Fault{Code: "Service.ResourceNotFound", Description: "Unknown service " + esc(target, maxTargetText), Type: "", Name: "UnknownServiceError"}
	}
	m, ok := methods[name]
	if !ok {
		return nil, &Fault{Code: "Service.MethodNotFound", Description: "Unknown method " + esc(target, maxTargetText), Type: "", Name: "UnknownServiceMethodError"}
	}
	if protected[svc] && g.opt.User != "" && (!c.credsGiven || !c.authOK) {
		return nil, &Fault{Code: "AuthenticationError", Description: "Authentication failed", Details: "", Type: "", Name: "AuthenticationError"}
	}
	return m(c, args)
}

// listedCost is what one image of a getSnapshots reply takes while the
// reply is built: its object, member and name decoded (about 150
// bytes), its encoding (27) and the reply buffer's growth; a later
// getSnapshots call of the same request shares the objects, and costs
// listedAgainCost an image: its encoding, in a reply buffer that grows
// by doubling (charged 64, 400 calls peaked at 403 MB under a budget of
// 256 MiB). Before they were charged, a
// packet of 100 getSnapshots calls (2.8 KB) with 10,000 images in the
// folder was answered with 27 MB, took serve to 296 MB and 12 s of CPU
// time; 400 calls (11 KB), 108 MB, 900 MB and 63 s, whatever
// --max-memory.
const (
	listedCost      = 256
	listedAgainCost = 128
)

// getSnapshots returns [base_url, ["jpg", "png"], ArrayCollection of
// {name}], as the ByteArray example's gateway does.
func getSnapshots(c *call, args []any) (any, *Fault) {
	if len(args) != 0 {
		return nil, argFault("getSnapshots() takes no arguments (%d given)", len(args))
	}
	items := c.reply.listed
	if items != nil {
		if f := c.chargeResult(int64(len(items))*listedAgainCost, fmt.Sprintf("its list of %d snapshots", len(items))); f != nil {
			return nil, f
		}
	} else {
		names, err := c.g.listImages()
		if err != nil {
			return nil, &Fault{Code: "Server.Call.Failed", Description: "listing the snapshots: " + err.Error(), Type: "IOError", Name: "IOError"}
		}
		if f := c.chargeResult(int64(len(names))*listedCost, fmt.Sprintf("its list of %d snapshots", len(names))); f != nil {
			return nil, f
		}
		items = make([]any, len(names))
		for i, n := range names {
			items[i] = &amf.Object{Members: []amf.Member{{Name: "name", Value: n}}}
		}
		c.reply.listed = items
	}
	return []any{
		c.g.baseURL(c.r),
		[]any{"jpg", "png"},
		&amf.Object{Class: amf.ClassArrayCollection, Members: []amf.Member{{Name: "source", Value: items}}},
	}, nil
}

// saveSnapshot(bytes, type) stores an image and returns {url, name}.
func saveSnapshot(c *call, args []any) (any, *Fault) {
	if len(args) != 2 {
		return nil, argFault("saveSnapshot(bytes, type) takes 2 arguments (%d given)", len(args))
	}
	ba, ok := amf.Unwrap(args[0]).(*amf.ByteArray)
	if !ok {
		return nil, argFault("saveSnapshot: the first argument must be a ByteArray, not %s", amf.Describe(args[0]))
	}
	typ, ok := amf.Unwrap(args[1]).(string)
	if !ok {
		return nil, argFault("saveSnapshot: the second argument must be the image type (\"jpg\" or \"png\"), not %s", amf.Describe(args[1]))
	}
	var name string
	var err error
	if s := streamedOf(c.r.Context(), ba); s != nil {
		name, err = c.g.saveStreamed(s, typ)
	} else {
		name, err = c.g.saveImage(ba.Data, typ)
	}
	if err != nil {
		if f, ok := err.(*Fault); ok {
			return nil, f
		}
		return nil, &Fault{Code: "Server.Call.Failed", Description: "saving the snapshot: " + err.Error(), Type: "IOError", Name: "IOError"}
	}
	c.reply.listed = nil // a later getSnapshots lists it
	return &amf.Object{Members: []amf.Member{
		{Name: "url", Value: c.g.baseURL(c.r) + name},
		{Name: "name", Value: name},
	}}, nil
}

// echo returns its argument unchanged; several arguments come back as an
// array of them, none as null.
func echo(c *call, args []any) (any, *Fault) {
	switch len(args) {
	case 0:
		return nil, nil
	case 1:
		return args[0], nil
	}
	return args, nil
}

// echoFail answers a fault whose description is its argument.
func echoFail(c *call, args []any) (any, *Fault) {
	desc := "echo.fail called"
	if len(args) > 0 {
		if s, ok := amf.Unwrap(args[0]).(string); ok {
			desc = s
		} else {
			desc = fmt.Sprintf("echo.fail called with %s", amf.Describe(args[0]))
		}
	}
	return nil, &Fault{Code: "Echo.Failure", Description: desc, Type: "", Name: "EchoFailure"}
}

// whoami returns the caller's user name (null when no credentials came).
func whoami(c *call, args []any) (any, *Fault) {
	if !c.credsGiven {
		return nil, nil
	}
	return c.user, nil
}

// argFault is a TypeError fault. Its text may describe an argument
// (amf.Describe names a typed object's class, as the client sent it):
// escaped and cut as a target is.
func argFault(format string, args ...any) *Fault {
	return &Fault{Code: "TypeError", Description: esc(fmt.Sprintf(format, args...), 2*maxTargetText), Type: "TypeError", Name: "TypeError"}
}

// maxTargetText bounds a target named in a fault's text ("Unknown
// service ..."): a packet's target may be 65,535 bytes of anything, and
// was answered whole, control characters and invalid UTF-8 included.
// It is escaped (see esc) and cut; a target of printable text up to
// this long reads as PyAMF writes it.
const maxTargetText = 200
