package client

import (
	"context"
	"strings"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// DefaultPollInterval is how long a subscriber waits between polls
// unless the gateway says otherwise (DSPollWait): Flex's default.
const DefaultPollInterval = 3 * time.Second

// The DSPollWait a gateway may ask for is taken within these bounds.
const (
	minPollWait = 100 * time.Millisecond
	maxPollWait = 5 * time.Minute
)

// asyncMessage builds the AsyncMessage a Flex Producer sends.
func asyncMessage(dest string, body any, headers []amf.Member) *amf.Object {
	return &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
		{Name: "body", Value: body},
		{Name: "clientId", Value: nil},
		{Name: "correlationId", Value: ""},
		{Name: "destination", Value: dest},
		{Name: "headers", Value: &amf.Object{Members: headers}},
		{Name: "messageId", Value: amf.NewFlexID()},
		{Name: "timestamp", Value: amf.Int(0)},
		{Name: "timeToLive", Value: amf.Int(0)},
	}}
}

// Publish sends body to the messaging destination dest as a Flex
// Producer does: an AsyncMessage with the DSId, the subtopic (when not
// empty) and the extra message headers. It returns the
// acknowledgement; an ErrorMessage is a *Fault.
func (c *Client) Publish(ctx context.Context, dest, subtopic string, body any, headers []amf.Member) (*amf.Object, error) {
	if err := c.flexHandshake(ctx); err != nil {
		return nil, err
	}
	hs := []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}}
	if subtopic != "" {
		hs = append(hs, amf.Member{Name: "DSSubtopic", Value: subtopic})
	}
	hs = append(hs, headers...)
	return c.FlexSend(ctx, asyncMessage(dest, body, hs))
}

// GatewayWarningHeader is the acknowledgement header in which amfcall
// serve says what it accepted but does not do (it does not evaluate a
// subscription's selector); the client shows it as a warning.
const GatewayWarningHeader = "amfcallWarning"

// Subscription is a Flex Consumer's subscription to a messaging
// destination, made by [Client.Subscribe].
type Subscription struct {
	c        *Client
	dest     string
	subtopic string
	// ID is the subscription's client id, which the gateway gave in the
	// acknowledgement of the subscribe command.
	ID string
	// warned holds the kinds of odd poll replies already warned about:
	// each is told once, not at every poll.
	warned map[string]bool
}

// warnOnce warns about an odd poll reply of kind, the first time only.
func (s *Subscription) warnOnce(kind, format string, args ...any) {
	if s.warned[kind] {
		return
	}
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	s.warned[kind] = true
	s.c.warnf(format+" (told once)", args...)
}

// Subscribe subscribes to the messaging destination dest (CommandMessage
// operation 0), with a subtopic and a selector expression when they are
// not empty. Poll the subscription for its messages, and Unsubscribe at
// the end.
func (c *Client) Subscribe(ctx context.Context, dest, subtopic, selector string) (*Subscription, error) {
	if err := c.flexHandshake(ctx); err != nil {
		return nil, err
	}
	hs := []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}}
	if subtopic != "" {
		hs = append(hs, amf.Member{Name: "DSSubtopic", Value: subtopic})
	}
	if selector != "" {
		hs = append(hs, amf.Member{Name: "DSSelector", Value: selector})
	}
	ack, err := c.FlexSend(ctx, commandMessage(OpSubscribe, dest, nil, nil, hs))
	if err != nil {
		return nil, err
	}
	if h, ok := amf.FlexField(ack, "headers").(*amf.Object); ok {
		if w, ok := flexHeader(h, GatewayWarningHeader).(string); ok && w != "" {
			c.warnf("the gateway warns: %s", oneLine(w))
		}
	}
	id, _ := amf.FlexField(ack, "clientId").(string)
	if id == "" {
		return nil, &HTTPError{Kind: ErrNoReply, URL: redact(c.original), Detail: "the acknowledgement of the subscription has no clientId",
			Hint: "the gateway did not make a subscription"}
	}
	if !flexID(id) {
		return nil, &HTTPError{Kind: ErrNoReply, URL: redact(c.original),
			Detail: "the acknowledgement of the subscription has the clientId \"" + safetext.Escape(id, 80) + "\": " + notFlexID,
			Hint:   "the gateway did not make a subscription amfcall can use"}
	}
	return &Subscription{c: c, dest: dest, subtopic: subtopic, ID: id}, nil
}

// Poll asks the gateway for the messages queued for the client
// (CommandMessage operation 2) and returns those of this subscription,
// in order, and how long to wait before the next poll: what the gateway
// asked for with DSPollWait, or DefaultPollInterval.
func (s *Subscription) Poll(ctx context.Context) ([]*amf.Object, time.Duration, error) {
	c := s.c
	msg := commandMessage(OpPoll, "", nil, nil, []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}})
	ack, err := c.FlexSend(ctx, msg)
	if err != nil {
		return nil, 0, err
	}
	msgs, wait := s.messagesOf(ack)
	return msgs, wait, nil
}

// messagesOf reads a poll reply: the messages of this subscription and
// the wait before the next poll.
func (s *Subscription) messagesOf(ack *amf.Object) ([]*amf.Object, time.Duration) {
	wait := DefaultPollInterval
	if h, ok := amf.FlexField(ack, "headers").(*amf.Object); ok {
		var ms float64
		switch x := flexHeader(h, "DSPollWait").(type) {
		case amf.Int:
			ms = float64(x)
		case float64:
			ms = x
		}
		if ms >= 0 && ms <= float64(maxPollWait/time.Millisecond) && flexHeader(h, "DSPollWait") != nil {
			wait = max(minPollWait, time.Duration(ms)*time.Millisecond)
		}
	}
	// The messages are the body's array, in BlazeDS's reply (a
	// CommandMessage of operation 4) or in any other Flex reply that
	// has one; a null body is no message.
	var list *amf.Array
	switch b := amf.Unwrap(amf.FlexField(ack, "body")).(type) {
	case nil, amf.Undefined:
		return nil, wait
	case *amf.Array:
		list = b
	default:
		s.warnOnce("body", "the poll reply's body is %s, not an array of messages; ignored", bodyKind(b))
		return nil, wait
	}
	var out []*amf.Object
	skipped := 0
	for _, v := range list.Dense {
		m, ok := amf.Unwrap(v).(*amf.Object)
		if !ok || !amf.IsFlexMessage(m.Class) {
			skipped++
			continue
		}
		if id, _ := amf.FlexField(m, "clientId").(string); id != "" && !strings.EqualFold(id, s.ID) {
			continue // for another subscription of this client
		}
		out = append(out, m)
	}
	if skipped > 0 {
		s.warnOnce("values", "the poll reply holds %d values that are not Flex messages; skipped", skipped)
	}
	return out, wait
}

// bodyKind names the kind of an odd poll reply body: "a string", "an
// object".
func bodyKind(v any) string {
	k := kindOf(v)
	switch k {
	case "Object", "ECMAArray":
		return "an object"
	case "undefined":
		return "undefined"
	}
	if strings.ContainsAny(k[:1], "AEIOUaeiou") {
		return "an " + k
	}
	return "a " + k
}

// Unsubscribe ends the subscription (CommandMessage operation 1).
func (s *Subscription) Unsubscribe(ctx context.Context) error {
	c := s.c
	hs := []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}}
	if s.subtopic != "" {
		hs = append(hs, amf.Member{Name: "DSSubtopic", Value: s.subtopic})
	}
	_, err := c.FlexSend(ctx, commandMessage(OpUnsubscribe, s.dest, s.ID, nil, hs))
	return err
}

// Watch polls the subscription until ctx is done or fn returns false,
// calling fn for each message in order. It waits between polls as the
// gateway asks (DSPollWait), or interval when that is positive, or
// DefaultPollInterval. It returns nil when ctx ends it or fn stops it.
func (s *Subscription) Watch(ctx context.Context, interval time.Duration, fn func(*amf.Object) bool) error {
	for {
		msgs, wait, err := s.Poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		for _, m := range msgs {
			if !fn(m) {
				return nil
			}
		}
		if interval > 0 {
			wait = interval
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}
