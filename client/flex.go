package client

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// DefaultFlexEndpoint is the DSEndpoint header of Flex RemoteObject calls
// unless Config.FlexEndpoint says otherwise: the id of BlazeDS's default
// AMF channel.
const DefaultFlexEndpoint = "my-amf"

// CommandMessage operations (protocol digest §4.4).
const (
	OpSubscribe   = 0
	OpUnsubscribe = 1
	OpPoll        = 2
	OpClientSync  = 4
	OpPing        = 5
	OpLogin       = 8
	OpLogout      = 9
	// OpSubscriptionInvalidate comes from the gateway, in a poll
	// reply: it ended the subscription.
	OpSubscriptionInvalidate = 10
)

// splitFlexTarget splits "destination.operation" at its last dot; a
// target without a dot is an operation of the empty destination.
func splitFlexTarget(target string) (destination, operation string) {
	i := strings.LastIndexByte(target, '.')
	if i < 0 {
		return "", target
	}
	return target[:i], target[i+1:]
}

// flexCredentials is the base64 "user:password" of a Flex login or of
// the DSRemoteCredentials header (UTF-8 bytes, as the charset header says).
func flexCredentials(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}

// remotingMessage builds the RemotingMessage a Flex RemoteObject sends for
// one call, in the standard (not small) form with the members in the
// order the Flex SDK declares them.
func (c *Client) remotingMessage(call Call, dsid, endpoint string) *amf.Object {
	dest, op := splitFlexTarget(call.Target)
	args := call.Args
	if args == nil {
		args = []any{}
	}
	var source any
	if c.cfg.FlexSource != "" {
		source = c.cfg.FlexSource
	}
	headers := &amf.Object{Members: []amf.Member{
		{Name: "DSId", Value: dsid},
		{Name: "DSEndpoint", Value: endpoint},
	}}
	if c.cfg.FlexRemoteUser != "" {
		headers.Members = append(headers.Members,
			amf.Member{Name: "DSRemoteCredentials", Value: flexCredentials(c.cfg.FlexRemoteUser, c.cfg.FlexRemotePassword)},
			amf.Member{Name: "DSRemoteCredentialsCharset", Value: "UTF-8"})
	}
	return &amf.Object{Class: amf.ClassRemotingMessage, Members: []amf.Member{
		{Name: "body", Value: &amf.Array{Dense: args}},
		{Name: "clientId", Value: nil},
		{Name: "destination", Value: dest},
		{Name: "headers", Value: headers},
		{Name: "messageId", Value: amf.NewFlexID()},
		{Name: "operation", Value: op},
		{Name: "source", Value: source},
		{Name: "timestamp", Value: amf.Int(0)},
		{Name: "timeToLive", Value: amf.Int(0)},
	}}
}

// FlexEndpoint is the DSEndpoint header the client sends: Config's
// FlexEndpoint, else the one of the session it loaded, else
// [DefaultFlexEndpoint].
func (c *Client) FlexEndpoint() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flexEndpointLocked()
}

func (c *Client) flexEndpointLocked() string {
	switch {
	case c.cfg.FlexEndpoint != "":
		return c.cfg.FlexEndpoint
	case c.sessionEndpoint != "":
		return c.sessionEndpoint
	}
	return DefaultFlexEndpoint
}

// commandMessage builds a CommandMessage with the members in the order
// Flash Player writes them (the ping of protocol digest §4.9).
func commandMessage(op int, dest string, clientID, body any, headers []amf.Member) *amf.Object {
	if body == nil {
		body = &amf.Object{}
	}
	return &amf.Object{Class: amf.ClassCommandMessage, Members: []amf.Member{
		{Name: "operation", Value: amf.Int(op)},
		{Name: "correlationId", Value: ""},
		{Name: "body", Value: body},
		{Name: "messageId", Value: amf.NewFlexID()},
		{Name: "clientId", Value: clientID},
		{Name: "timestamp", Value: amf.Int(0)},
		{Name: "timeToLive", Value: amf.Int(0)},
		{Name: "headers", Value: &amf.Object{Members: headers}},
		{Name: "destination", Value: dest},
	}}
}

// DSId is the FlexClient id the gateway gave this client, or "nil" before
// the first Flex exchange.
func (c *Client) DSId() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dsid
}

// FlexUser is the user this client (or the session it loaded) logged in
// as with a Flex login, or "".
func (c *Client) FlexUser() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flexUser
}

// flexHandshake makes sure the client has a DSId before a Flex call: it
// logs in first when Config.FlexUser is set (once per Client), and
// otherwise pings when no DSId is known yet (not even from a session). A
// gateway that refuses the ping (a fault, or a reply that is no Flex
// message) gets the call anyway, with a warning, as some answer
// RemotingMessages only.
func (c *Client) flexHandshake(ctx context.Context) error {
	c.mu.Lock()
	login := c.cfg.FlexUser != "" && !c.flexLoggedIn
	ping := c.dsid == "nil" && !c.flexPinged
	c.flexPinged = true
	c.mu.Unlock()
	switch {
	case login:
		return c.FlexLogin(ctx, c.cfg.FlexUser, c.cfg.FlexPassword)
	case ping:
		err := c.FlexPing(ctx)
		var f *Fault
		var he *HTTPError
		if errors.As(err, &f) || (errors.As(err, &he) && he.Kind == ErrNoReply) {
			c.warnf("the gateway did not acknowledge the Flex ping (%v); calling without a DSId", err)
			return nil
		}
		return err
	}
	return nil
}

// decodeFault is f with its texts that are not UTF-8 decoded by
// Config.DecodeText.
func (c *Client) decodeFault(f *Fault) *Fault {
	if c.cfg.DecodeText == nil {
		return f
	}
	for _, p := range []*string{&f.Code, &f.Description, &f.Details, &f.Level, &f.Type} {
		if !utf8.ValidString(*p) {
			*p = c.cfg.DecodeText([]byte(*p))
		}
	}
	return f
}

// FlexPing sends the CommandMessage ping (operation 5) with which a Flex
// channel starts, and keeps the DSId the acknowledgement gives.
func (c *Client) FlexPing(ctx context.Context) error {
	msg := commandMessage(OpPing, "", nil, nil, []amf.Member{
		{Name: "DSMessagingVersion", Value: amf.Int(1)},
		{Name: "DSId", Value: c.DSId()},
	})
	_, err := c.FlexSend(ctx, msg)
	return err
}

// FlexLogin sends a Flex login (CommandMessage operation 8, body base64
// "user:password" as UTF-8) and keeps the DSId and the user. A refused
// login is a *Fault. The request is never sent again to another host on a
// redirect, as it carries the password.
func (c *Client) FlexLogin(ctx context.Context, user, password string) error {
	msg := commandMessage(OpLogin, "auth", nil, flexCredentials(user, password), []amf.Member{
		{Name: "DSMessagingVersion", Value: amf.Int(1)},
		{Name: "DSId", Value: c.DSId()},
		{Name: "DSCredentialsCharset", Value: "UTF-8"},
	})
	if _, err := c.FlexSend(withSecretBody(ctx), msg); err != nil {
		return err
	}
	c.mu.Lock()
	c.flexUser, c.flexLoggedIn = user, true
	c.mu.Unlock()
	return nil
}

// FlexLogout sends a Flex logout (CommandMessage operation 9) and forgets
// the user. The DSId is kept.
func (c *Client) FlexLogout(ctx context.Context) error {
	if c.DSId() == "nil" {
		if err := c.FlexPing(ctx); err != nil {
			return err
		}
	}
	// Like every message a Flex channel sends (but its first ping or
	// login), the logout carries the channel's endpoint id.
	msg := commandMessage(OpLogout, "", nil, nil, []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}})
	if _, err := c.FlexSend(ctx, msg); err != nil {
		return err
	}
	c.mu.Lock()
	c.flexUser, c.flexLoggedIn = "", false
	c.mu.Unlock()
	return nil
}

// FlexSend sends one Flex message (in a version-3 packet with target
// "null" and the next response URI) and returns the acknowledgement
// (AcknowledgeMessage, DSK, or another message class the gateway answered
// with). An ErrorMessage is a *Fault. The DSId of the acknowledgement is
// kept for later messages.
func (c *Client) FlexSend(ctx context.Context, msg *amf.Object) (*amf.Object, error) {
	c.mu.Lock()
	hs := c.headersLocked()
	for i := range hs {
		hs[i].Value = toAMF3(hs[i].Value)
	}
	resp := "/" + strconv.Itoa(c.next)
	c.next++
	c.mu.Unlock()
	p := &amf.Packet{Version: 3, Headers: hs, Messages: []amf.Message{{
		Target: "null", Response: resp,
		Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: msg}}},
	}}}
	reply, err := c.Send(ctx, p)
	if err != nil {
		return nil, err
	}
	label := flexLabel(msg)
	v, err := c.ResultFor(reply, label, resp)
	if err != nil {
		return nil, err
	}
	ack, ok := v.(*amf.Object)
	if !ok || !amf.IsFlexMessage(ack.Class) {
		return nil, &HTTPError{Kind: ErrNoReply, URL: redact(c.original), Detail: label + " (" + resp + ")",
			Hint: "the gateway answered the Flex message with something that is not a Flex message"}
	}
	c.noteAck(msg, ack)
	return ack, nil
}

// flexLabel names a Flex message in errors: "CommandMessage ping",
// "RemotingMessage echo.echo".
func flexLabel(msg *amf.Object) string {
	switch msg.Class {
	case amf.ClassCommandMessage:
		op, _ := amf.FlexField(msg, "operation").(amf.Int)
		switch op {
		case OpPing:
			return "CommandMessage ping"
		case OpLogin:
			return "CommandMessage login"
		case OpLogout:
			return "CommandMessage logout"
		case OpSubscribe:
			return "CommandMessage subscribe"
		case OpUnsubscribe:
			return "CommandMessage unsubscribe"
		case OpPoll:
			return "CommandMessage poll"
		}
		return "CommandMessage operation " + strconv.Itoa(int(op))
	case amf.ClassRemotingMessage:
		dest, _ := amf.FlexField(msg, "destination").(string)
		op, _ := amf.FlexField(msg, "operation").(string)
		return "RemotingMessage " + strings.TrimPrefix(dest+"."+op, ".")
	}
	return strings.TrimPrefix(msg.Class, amf.FlexMessagePrefix)
}

// noteAck keeps the DSId an acknowledgement gives and warns when it
// answers another message than req.
func (c *Client) noteAck(req, ack *amf.Object) {
	if h, ok := amf.FlexField(ack, "headers").(*amf.Object); ok {
		if id, ok := amf.Unwrap(flexHeader(h, "DSId")).(string); ok && id != "" && id != "nil" {
			if flexID(id) {
				c.mu.Lock()
				c.dsid = id
				c.mu.Unlock()
			} else {
				c.warnf("ignored the DSId the gateway gave, \"%s\": %s", safetext.Escape(id, 80), notFlexID)
			}
		}
	}
	want, _ := amf.FlexField(req, "messageId").(string)
	got, ok := amf.FlexField(ack, "correlationId").(string)
	if want != "" && ok && got != "" && !strings.EqualFold(got, want) {
		c.warnf("the acknowledgement's correlationId \"%s\" is not the message's messageId %q", safetext.Escape(got, 80), want)
	}
}

// flexID reports whether id can be a Flex client id (a DSId, a
// subscription's clientId): at most 256 bytes of printable ASCII with no
// space, as BlazeDS's UUIDs are. Such an id is kept, sent back with
// every message, saved with --session and shown by -v; a hostile
// gateway's id with a newline or escape sequences in it was shown as it
// was ("logged out (DSId ...)").
func flexID(id string) bool {
	if id == "" || len(id) > 256 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}

// notFlexID says why an id is not one flexID takes.
const notFlexID = "a Flex client id is at most 256 bytes of printable ASCII with no space"

func flexHeader(h *amf.Object, name string) any {
	v, _ := h.Get(name)
	return amf.Unwrap(v)
}

// flexResult takes the result out of a Flex reply: the body of an
// AcknowledgeMessage (or its small form DSK). It records the DSId the
// server gives and checks the correlation id.
func (c *Client) flexResult(req *amf.Object, v any) any {
	ack, ok := amf.Unwrap(v).(*amf.Object)
	if !ok || (ack.Class != amf.ClassAcknowledgeMessage && ack.Class != amf.ClassDSK) {
		c.warnf("the reply to a RemoteObject call is not an AcknowledgeMessage; showing it whole")
		return amf.Unwrap(v)
	}
	c.noteAck(req, ack)
	return amf.FlexField(ack, "body")
}

// flexRequest returns the RemotingMessage inside a request message value,
// or nil.
func flexRequest(v any) *amf.Object {
	a, ok := v.(*amf.Array)
	if !ok || len(a.Dense) != 1 {
		return nil
	}
	o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object)
	if !ok || o.Class != amf.ClassRemotingMessage {
		return nil
	}
	return o
}

// flexFaultValue is what a Flex ErrorMessage shows as a fault: its five
// fault fields, whatever their types.
//
// The five make a new anonymous object, in which the anonymous objects
// of the reply (a PyAMF or amfcall serve rootCause) come after it: it
// takes the traits of the first of them (ShareAnonymousTraits).
func flexFaultValue(o *amf.Object) *amf.Object {
	out := &amf.Object{}
	for _, name := range []string{"faultCode", "faultString", "faultDetail", "rootCause", "extendedData"} {
		out.Members = append(out.Members, amf.Member{Name: name, Value: amf.FlexField(o, name)})
	}
	ShareAnonymousTraits(out)
	return out
}

// ShareAnonymousTraits gives o, a new anonymous object that holds values
// of a reply (a fault's fields, a message's line), the traits of the
// first anonymous object among them, so that typed JSON shows none of
// them as traits sent inline again where a reference to o's was
// possible ("$traits": {..., "inline": true}): o comes first, and its
// traits were its own.
func ShareAnonymousTraits(o *amf.Object) {
	if o.Class != "" || o.Traits != nil {
		return
	}
	budget := maxTraitsSearch
	o.Traits = firstAnonymousTraits(o, map[any]bool{}, &budget)
}

// maxTraitsSearch bounds the values firstAnonymousTraits looks at.
const maxTraitsSearch = 10000

// firstAnonymousTraits is the traits of the first anonymous dynamic
// object with traits of its own in v, in the order typed JSON writes
// values (an array's associative members before its dense ones), or nil.
func firstAnonymousTraits(v any, seen map[any]bool, budget *int) *amf.Traits {
	*budget--
	if *budget < 0 {
		return nil
	}
	switch x := amf.Unwrap(v).(type) {
	case *amf.Object:
		if seen[x] {
			return nil
		}
		seen[x] = true
		if t := x.Traits; t != nil && x.Class == "" && amf.IsCanonicalTraits(t, x) {
			return t
		}
		for _, m := range x.Members {
			if t := firstAnonymousTraits(m.Value, seen, budget); t != nil {
				return t
			}
		}
	case *amf.Array:
		if seen[x] {
			return nil
		}
		seen[x] = true
		for _, m := range x.Assoc {
			if t := firstAnonymousTraits(m.Value, seen, budget); t != nil {
				return t
			}
		}
		for _, d := range x.Dense {
			if t := firstAnonymousTraits(d, seen, budget); t != nil {
				return t
			}
		}
	}
	return nil
}

// IsNotFound reports whether a fault says that the gateway knows no such
// service or destination: the sign that it routes Flex calls the other
// way (by source rather than destination, or the reverse).
func (f *Fault) IsNotFound() bool {
	s := strings.ToLower(f.Code + " " + f.Description)
	if strings.Contains(s, "methodnotfound") || strings.Contains(s, "method not found") || strings.Contains(s, "unknown method") {
		return false // the service was found
	}
	for _, w := range []string{"notfound", "not found", "no destination", "no such", "unknown service", "unknown destination", "no such service", "does not exist"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// IsAuthentication reports whether the fault says that a login is
// needed or failed (BlazeDS's Client.Authentication, PyAMF's and amfcall
// serve's AuthenticationError).
func (f *Fault) IsAuthentication() bool {
	s := strings.ToLower(f.Code + " " + f.Description)
	for _, w := range []string{"authenticat", "login required", "not logged in"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// secretBodyKey marks a request context whose body carries a secret (a
// Flex login): such a request never follows a redirect to another host.
type secretBodyKey struct{}

func withSecretBody(ctx context.Context) context.Context {
	return context.WithValue(ctx, secretBodyKey{}, true)
}

// errSecretRedirect is the reason a secret-carrying request was not sent
// to another host.
var errSecretRedirect = errors.New("the request carries a password")

// checkSecretRedirect refuses to send a secret body to another origin
// (scheme, host and port) than the one the user aimed it at.
// (location is the whole URL redirected to, which the message gives so
// that it can be copied).
func checkSecretRedirect(to, from, location string, secret bool, where, status string) error {
	if !secret || to == from {
		return nil
	}
	return &HTTPError{Kind: ErrRedirect, URL: where, Status: status,
		Detail: fmt.Sprintf("the gateway redirects to %s; %v, which is sent only to %s", location, errSecretRedirect, from),
		Hint:   "use the new location as the gateway URL if you trust it"}
}
