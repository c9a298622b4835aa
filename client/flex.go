package client

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// Flex message class aliases.
const (
	ClassRemotingMessage    = "flex.messaging.messages.RemotingMessage"
	ClassAcknowledgeMessage = "flex.messaging.messages.AcknowledgeMessage"
	ClassErrorMessage       = "flex.messaging.messages.ErrorMessage"
	classSmallAck           = "DSK"
)

// DefaultFlexEndpoint is the DSEndpoint header of Flex RemoteObject calls
// unless Config.FlexEndpoint says otherwise: the id of BlazeDS's default
// AMF channel.
const DefaultFlexEndpoint = "my-amf"

// splitFlexTarget splits "destination.operation" at its last dot; a
// target without a dot is an operation of the empty destination.
func splitFlexTarget(target string) (destination, operation string) {
	i := strings.LastIndexByte(target, '.')
	if i < 0 {
		return "", target
	}
	return target[:i], target[i+1:]
}

// newUUID returns a random UUID in the upper-case form Flex uses for
// message ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// remotingMessage builds the RemotingMessage a Flex RemoteObject sends for
// one call, in the standard (not small) form with the members in the
// order the Flex SDK declares them.
func (c *Client) remotingMessage(call Call, dsid string) *amf.Object {
	dest, op := splitFlexTarget(call.Target)
	args := call.Args
	if args == nil {
		args = []any{}
	}
	endpoint := c.cfg.FlexEndpoint
	if endpoint == "" {
		endpoint = DefaultFlexEndpoint
	}
	return &amf.Object{Class: ClassRemotingMessage, Members: []amf.Member{
		{Name: "body", Value: &amf.Array{Dense: args}},
		{Name: "clientId", Value: nil},
		{Name: "destination", Value: dest},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{
			{Name: "DSId", Value: dsid},
			{Name: "DSEndpoint", Value: endpoint},
		}}},
		{Name: "messageId", Value: newUUID()},
		{Name: "operation", Value: op},
		{Name: "source", Value: nil},
		{Name: "timestamp", Value: amf.Int(0)},
		{Name: "timeToLive", Value: amf.Int(0)},
	}}
}

// flexResult takes the result out of a Flex reply: the body of an
// AcknowledgeMessage (or its small form DSK). It records the DSId the
// server gives and checks the correlation id.
func (c *Client) flexResult(req any, v any) any {
	ack, ok := amf.Unwrap(v).(*amf.Object)
	if !ok || (ack.Class != ClassAcknowledgeMessage && ack.Class != classSmallAck) {
		c.warnf("the reply to a RemoteObject call is not an AcknowledgeMessage; showing it whole")
		return amf.Unwrap(v)
	}
	if h, ok := ack.Get("headers"); ok {
		if ho, ok := amf.Unwrap(h).(*amf.Object); ok {
			if id, ok := ho.Get("DSId"); ok {
				if s, ok := amf.Unwrap(id).(string); ok && s != "" {
					c.mu.Lock()
					c.dsid = s
					c.mu.Unlock()
				}
			}
		}
	}
	if msg, ok := req.(*amf.Object); ok {
		want, _ := msg.Get("messageId")
		got, _ := ack.Get("correlationId")
		if ws, ok := want.(string); ok {
			if gs, ok := amf.Unwrap(got).(string); ok && gs != ws {
				c.warnf("the acknowledgement's correlationId %q is not the call's messageId %q", gs, ws)
			}
		}
	}
	body, _ := ack.Get("body")
	return amf.Unwrap(body)
}

// flexRequest returns the RemotingMessage inside a request message value,
// or nil.
func flexRequest(v any) *amf.Object {
	a, ok := v.(*amf.Array)
	if !ok || len(a.Dense) != 1 {
		return nil
	}
	o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object)
	if !ok || o.Class != ClassRemotingMessage {
		return nil
	}
	return o
}
