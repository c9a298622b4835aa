package gateway

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// CommandMessage operations the gateway answers.
const (
	opPing       = 5
	opLogin      = 8
	opLogout     = 9
	opDisconnect = 12
	opTrigger    = 13
)

// The members of the replies, in the order PyAMF writes them (sealed,
// alphabetical, on a dynamic class).
var (
	ackMembers   = []string{"body", "clientId", "correlationId", "destination", "headers", "messageId", "timeToLive", "timestamp"}
	errorMembers = []string{"body", "clientId", "correlationId", "destination", "extendedData", "faultCode", "faultDetail", "faultString", "headers", "messageId", "rootCause", "timeToLive", "timestamp"}
)

// flexMessage returns the Flex message a body carries: the only element
// of the arguments array (or the value itself, as RocketAMF's client
// sends it).
func flexMessage(v any) *amf.Object {
	v = amf.Unwrap(v)
	if a, ok := v.(*amf.Array); ok && len(a.Dense) == 1 && len(a.Assoc) == 0 {
		v = amf.Unwrap(a.Dense[0])
	}
	o, _ := v.(*amf.Object)
	return o
}

func isFlexMessage(v any) bool {
	o := flexMessage(v)
	if o == nil {
		return false
	}
	return amf.IsFlexMessage(o.Class)
}

// member is a field of a Flex message, in either form (see
// amf.FlexField).
func member(o *amf.Object, name string) any {
	return amf.FlexField(o, name)
}

func memberString(o *amf.Object, name string) string {
	s, _ := member(o, name).(string)
	return s
}

func memberInt(o *amf.Object, name string) (int64, bool) {
	switch x := member(o, name).(type) {
	case amf.Int:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}

// headerString returns a message header of type string.
func headerString(msg *amf.Object, name string) string {
	switch h := member(msg, "headers").(type) {
	case *amf.Object:
		return memberString(h, name)
	case *amf.ECMAArray:
		for _, m := range h.Members {
			if m.Name == name {
				s, _ := amf.Unwrap(m.Value).(string)
				return s
			}
		}
	}
	return ""
}

// flexReply is the state of one Flex reply.
type flexReply struct {
	g        *Gateway
	msg      *amf.Object
	dsid     string
	clientID any
	// res is the request's share of the memory budget, charged for the
	// messages a poll hands over (nil outside the limits).
	res *reservation
}

func (g *Gateway) newFlexReply(msg *amf.Object) *flexReply {
	dsid := headerString(msg, "DSId")
	if dsid == "" || dsid == "nil" || len(dsid) > 128 {
		dsid = amf.NewFlexID()
	}
	var clientID any = amf.NewFlexID()
	if s := memberString(msg, "clientId"); s != "" && len(s) <= 128 {
		clientID = s
	}
	return &flexReply{g: g, msg: msg, dsid: dsid, clientID: clientID}
}

func (f *flexReply) headers() *amf.Object {
	return &amf.Object{Members: []amf.Member{{Name: "DSId", Value: f.dsid}}}
}

func (f *flexReply) timestamp() float64 {
	return float64(f.g.opt.Now().UnixMilli())
}

// ack builds an AcknowledgeMessage carrying body.
func (f *flexReply) ack(body any) amf.AVMPlus {
	values := map[string]any{
		"body":          body,
		"clientId":      f.clientID,
		"correlationId": memberString(f.msg, "messageId"),
		"destination":   nil,
		"headers":       f.headers(),
		"messageId":     amf.NewFlexID(),
		"timeToLive":    nil,
		"timestamp":     f.timestamp(),
	}
	return amf.AVMPlus{Value: sealed(amf.ClassAcknowledgeMessage, ackMembers, values)}
}

// fail builds an ErrorMessage for fault.
func (f *flexReply) fail(fault *Fault) amf.AVMPlus {
	name := fault.Name
	if name == "" {
		name = strings.ReplaceAll(fault.Code, ".", "")
	}
	values := map[string]any{
		"body":          nil,
		"clientId":      f.clientID,
		"correlationId": memberString(f.msg, "messageId"),
		"destination":   nil,
		"extendedData":  nil,
		"faultCode":     fault.Code,
		"faultDetail":   fault.Details,
		"faultString":   fault.Description,
		"headers":       f.headers(),
		"messageId":     amf.NewFlexID(),
		"rootCause": &amf.Object{Members: []amf.Member{
			{Name: "message", Value: fault.Description},
			{Name: "name", Value: name},
		}},
		"timeToLive": nil,
		"timestamp":  f.timestamp(),
	}
	return amf.AVMPlus{Value: sealed(amf.ClassErrorMessage, errorMembers, values)}
}

// sealed builds a typed object with sealed members on a dynamic class,
// the shape PyAMF gives its Flex replies.
func sealed(class string, names []string, values map[string]any) *amf.Object {
	o := &amf.Object{
		Class:   class,
		Traits:  &amf.Traits{Class: class, Sealed: names, Dynamic: true},
		Members: make([]amf.Member, len(names)),
	}
	for i, n := range names {
		o.Members[i] = amf.Member{Name: n, Value: values[n]}
	}
	return o
}

// flex answers a Flex message body. ok is false for an ErrorMessage;
// label names the call for the log.
func (g *Gateway) flex(c *call, v any) (reply any, ok bool, label string) {
	msg := flexMessage(v)
	f := g.newFlexReply(msg)
	switch msg.Class {
	case amf.ClassRemotingMessage:
		target := remotingTarget(msg)
		label = "RemotingMessage " + target
		g.flexAuth(c, msg, f.dsid)
		result, fault := g.dispatch(c, target, argsOf(member(msg, "body")))
		if fault != nil {
			return f.fail(fault), false, label
		}
		return f.ack(result), true, label
	case amf.ClassCommandMessage, amf.ClassDSC:
		op, _ := memberInt(msg, "operation")
		switch op {
		case opPing, opTrigger:
			return f.ack(true), true, "CommandMessage ping"
		case opLogin:
			label = "CommandMessage login"
			user, pass, good := decodeLogin(member(msg, "body"), headerString(msg, "DSCredentialsCharset"))
			if !good {
				return f.fail(&Fault{Code: "Client.Authentication", Description: "the login body must be base64 of user:password", Name: "AuthenticationError"}), false, label
			}
			if !g.checkPassword(user, pass) {
				return f.fail(&Fault{Code: "Client.Authentication", Description: "Authentication failed", Details: "", Name: "AuthenticationError"}), false, label
			}
			g.setSession(f.dsid, user)
			return f.ack("success"), true, label + " " + user
		case opLogout:
			g.setSession(f.dsid, "")
			return f.ack(nil), true, "CommandMessage logout"
		case opDisconnect:
			g.setSession(f.dsid, "")
			return f.ack(nil), true, "CommandMessage disconnect"
		case opSubscribe, opUnsubscribe, opPoll:
			f.res = reservationOf(c.r)
			return g.messaging(f, op)
		}
		label = "CommandMessage operation " + itoa(op)
		return f.fail(&Fault{Code: "Server.Processing", Description: "this gateway does not support CommandMessage operation " + itoa(op) + "", Name: "NotImplementedError"}), false, label
	}
	if msg.Class == amf.ClassAsyncMessage || msg.Class == amf.ClassDSA {
		return g.publishMessage(f)
	}
	label = msg.Class
	return f.fail(&Fault{Code: "Server.Processing", Description: "this gateway does not handle " + msg.Class + " messages", Name: "NotImplementedError"}), false, label
}

// remotingTarget is the method a RemotingMessage calls: by source when
// the message has one, as AMFPHP routes, else by destination, as
// BlazeDS and PyAMF do.
func remotingTarget(msg *amf.Object) string {
	dest := memberString(msg, "destination")
	if src := memberString(msg, "source"); src != "" {
		dest = src
	}
	op := memberString(msg, "operation")
	if dest == "" {
		return op
	}
	return dest + "." + op
}

// flexAuth fills the call's credentials from a Flex message: the
// DSRemoteCredentials header, or the user logged in on this DSId. A
// Credentials packet header, already in c, is used otherwise.
func (g *Gateway) flexAuth(c *call, msg *amf.Object, dsid string) {
	if rc := headerString(msg, "DSRemoteCredentials"); rc != "" {
		if user, pass, ok := decodeLogin(rc, headerString(msg, "DSRemoteCredentialsCharset")); ok {
			c.credsGiven, c.user, c.authOK = true, user, g.checkPassword(user, pass)
			return
		}
	}
	if user := g.session(dsid); user != "" {
		c.credsGiven, c.user, c.authOK = true, user, true
	}
}

// decodeLogin reads base64 "user:password" (Flex inserts line breaks).
// Its bytes are UTF-8 when charset says so, as amfcall's client and
// ChannelSet.login(user, password, "UTF-8") send them; otherwise
// ISO-8859-1, as a Flex client sends them by default (protocol digest
// §4.5): a password "wörld" from a Flex application was refused.
func decodeLogin(v any, charset string) (user, pass string, ok bool) {
	s, isStr := amf.Unwrap(v).(string)
	if !isStr || len(s) > 4096 {
		return "", "", false
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' {
			return -1
		}
		return r
	}, s)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", "", false
	}
	text := string(raw)
	if !strings.EqualFold(charset, "UTF-8") {
		text = latin1(raw)
	}
	user, pass, found := strings.Cut(text, ":")
	if !found || user == "" {
		return "", "", false
	}
	return user, pass, true
}

func (g *Gateway) session(dsid string) string {
	g.sessMu.Lock()
	defer g.sessMu.Unlock()
	return g.sessions[dsid].user
}

func (g *Gateway) setSession(dsid, user string) {
	g.sessMu.Lock()
	defer g.sessMu.Unlock()
	if user == "" {
		delete(g.sessions, dsid)
		return
	}
	g.addSessionLocked(dsid, user)
}

// latin1 is b read as ISO-8859-1: each byte the code point of its value.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// flexFaultText is the log text of an ErrorMessage reply.
func flexFaultText(v any) string {
	o, _ := amf.Unwrap(v).(*amf.Object)
	return memberString(o, "faultCode") + ": " + memberString(o, "faultString")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
