package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
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
// serve says what it accepted but does not do (an older serve did
// not evaluate a subscription's selector, and said so here); the client
// shows it as a warning.
const GatewayWarningHeader = "amfcallWarning"

// Subscription is a Flex Consumer's subscription to a messaging
// destination, made by [Client.Subscribe].
type Subscription struct {
	c        *Client
	dest     string
	subtopic string
	selector string
	// ID is the subscription's client id, which the gateway gave in the
	// acknowledgement of the subscribe command.
	ID string
	// warned holds the kinds of odd poll replies already warned about:
	// each is told once, not at every poll.
	warned map[string]bool
	// invalidated is set when a poll reply says that the gateway ended
	// the subscription (CommandMessage operation 10): Watch subscribes
	// again.
	invalidated bool
	// MaxOutage is how long Watch tries a gateway that does not answer
	// before it gives up; zero is DefaultMaxOutage, and a negative one
	// tries no more: the first poll left unanswered ends Watch with its
	// error (a poll held past the timeout is still sent again).
	MaxOutage time.Duration
	// Until, when not zero, is when Watch ends. No poll starts after
	// it, except one last poll when Watch was waiting between polls
	// then, so that what was published before it is passed on. A poll
	// under way at Until (and that last poll) is given Grace more for
	// the first byte of its reply (a long-polling gateway holds a poll
	// until a message comes); one whose reply has started is read to
	// its end, within the client's timeout, and its messages are
	// passed on.
	Until time.Time
	// Grace is how long after Until a poll waits for the first byte of
	// its reply; zero is DefaultPollGrace.
	Grace time.Duration
	// lastOK is when the last poll the gateway answered (or the
	// subscribe command it acknowledged) was sent: what was published
	// before it has been passed on, or is queued for the next poll.
	lastOK time.Time
	// ownWait is the gateway's own wait: the longest it took to
	// answer a poll with no message (a long-polling channel holds a
	// poll that long when nothing comes; another answers at once).
	// Zero until such a poll is answered.
	ownWait time.Duration
}

// DefaultPollGrace is how long after [Subscription.Until] a poll waits
// for its reply to start.
const DefaultPollGrace = 5 * time.Second

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
	s := &Subscription{c: c, dest: dest, subtopic: subtopic, selector: selector}
	if err := s.subscribe(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// subscribe sends the subscribe command (with the subscription's own
// clientId when it has one: a subscription made again) and keeps the
// id the acknowledgement gives.
func (s *Subscription) subscribe(ctx context.Context) error {
	c := s.c
	hs := []amf.Member{{Name: "DSId", Value: c.DSId()}, {Name: "DSEndpoint", Value: c.FlexEndpoint()}}
	if s.subtopic != "" {
		hs = append(hs, amf.Member{Name: "DSSubtopic", Value: s.subtopic})
	}
	if s.selector != "" {
		hs = append(hs, amf.Member{Name: "DSSelector", Value: s.selector})
	}
	var clientID any
	if s.ID != "" {
		clientID = s.ID
	}
	sent := time.Now()
	ack, err := c.FlexSend(ctx, commandMessage(OpSubscribe, s.dest, clientID, nil, hs))
	if err != nil {
		return err
	}
	if h, ok := amf.FlexField(ack, "headers").(*amf.Object); ok {
		if w, ok := flexHeader(h, GatewayWarningHeader).(string); ok && w != "" {
			// Once per subscription, however often it is made again
			// (a gateway restart).
			s.warnOnce("gateway warning", "the gateway warns: %s", oneLine(w))
		}
	}
	id, _ := amf.FlexField(ack, "clientId").(string)
	if id == "" {
		return &HTTPError{Kind: ErrNoReply, URL: redact(c.original), Detail: "the acknowledgement of the subscription has no clientId",
			Hint: "the gateway did not make a subscription"}
	}
	if !flexID(id) {
		return &HTTPError{Kind: ErrNoReply, URL: redact(c.original),
			Detail: "the acknowledgement of the subscription has the clientId \"" + safetext.Escape(id, 80) + "\": " + notFlexID,
			Hint:   "the gateway did not make a subscription amfcall can use"}
	}
	s.ID = id
	s.lastOK = sent
	return nil
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
	skipped, others := 0, 0
	for _, v := range list.Dense {
		m, ok := amf.Unwrap(v).(*amf.Object)
		if !ok || !amf.IsFlexMessage(m.Class) {
			skipped++
			continue
		}
		if id, _ := amf.FlexField(m, "clientId").(string); id != "" && !strings.EqualFold(id, s.ID) {
			// For another subscription of this Flex client: a poll
			// takes the messages of all the subscriptions of its DSId
			// (BlazeDS's, amfcall serve's), and Flex dispatches them
			// by clientId within one application. Another program
			// polling with the same DSId (a second subscriber that
			// shares this one's session) never gets these: each takes
			// the other's messages. Said, not dropped unsaid.
			others++
			continue
		}
		if m.Class == amf.ClassCommandMessage {
			// A command, not a message to print: operation 10
			// (SUBSCRIPTION_INVALIDATE) says the gateway ended the
			// subscription (BlazeDS's subscription timeout, a session
			// ended), which was printed as a message of null body,
			// and no message came after it.
			if op, _ := amf.FlexField(m, "operation").(amf.Int); op == OpSubscriptionInvalidate {
				s.invalidated = true
			} else {
				s.warnOnce("command", "the poll reply holds a CommandMessage of operation %d, which is not a message; skipped", int64(op))
			}
			continue
		}
		out = append(out, m)
	}
	if others > 0 {
		// Every time (a caller that tells a kind of warning once
		// counts the others): each is messages lost to someone.
		what := "messages"
		if others == 1 {
			what = "message"
		}
		s.c.warnf("a poll reply held %d %s for another subscription of this Flex client (DSId %s), not this one's (%s): %s",
			others, what, safetext.Escape(s.c.DSId(), 80), safetext.Escape(s.ID, 80), sharedDSIdText)
	}
	if skipped > 0 {
		s.warnOnce("values", "the poll reply holds %d values that are not Flex messages; skipped", skipped)
	}
	return out, wait
}

// sharedDSIdText says what a poll reply's messages for another
// subscription mean.
const sharedDSIdText = "another subscriber polls with the same DSId (such as a second subscribe sharing this one's session) and the gateway's queue is one for both, so each takes messages the other should get; these were not printed, and are lost to it"

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

// DefaultMaxOutage is how long Watch goes on trying a gateway that does
// not answer (refused, reset, an HTTP 5xx, a timeout) before it gives
// up, unless Subscription.MaxOutage says otherwise.
const DefaultMaxOutage = 2 * time.Minute

// The waits between the tries of a gateway that does not answer: the
// first is firstRetryWait (the poll interval when that is shorter, but
// never under minPollWait), each next one twice the last, at most
// maxRetryWait. What is published to a gateway back from a restart
// before the subscription is made again is lost: the longest wait bounds
// that. It was 15s, and a gateway down for 10s lost the next 8s of
// messages (13 at 2 a second); Flex's Consumer tries every 5s. A try of
// a gateway that refuses costs little, and one every 2s is no hot loop.
// Each wait is shortened by up to a fifth at random, so that the
// subscribers of a gateway that restarts do not all come back at the
// same instant.
const (
	firstRetryWait = 500 * time.Millisecond
	maxRetryWait   = 2 * time.Second
)

// retryWait is the wait after one of last (zero: the first wait).
func retryWait(last, interval time.Duration) time.Duration {
	if last > 0 {
		return min(2*last, maxRetryWait)
	}
	if interval > 0 {
		return max(minPollWait, min(interval, firstRetryWait))
	}
	return firstRetryWait
}

// jitter is d shortened by up to a fifth, at random.
func jitter(d time.Duration) time.Duration {
	return d - rand.N(d/5+1)
}

// stamp is how a note about a subscription writes an instant: local
// time to the millisecond, with its offset.
func stamp(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z07:00") }

// outage is what Watch knows of a gateway that stopped answering.
type outage struct {
	since time.Time     // the first poll that failed
	wait  time.Duration // the last wait between tries
	err   error         // the last try's
}

// Watch polls the subscription until ctx is done or fn returns false,
// calling fn for each message in order. It waits between polls as the
// gateway asks (DSPollWait), or interval when that is positive, or
// DefaultPollInterval. It returns nil when ctx ends it or fn stops it
// while subscribed.
//
// A gateway that restarts underneath is outlived. A poll that fails for
// want of an answer (connection refused or reset, an HTTP 5xx, a
// timeout; not a poll that went out and is held past the client's
// timeout, as a long-polling gateway holds one until a message comes,
// unless it is held twice as long as the gateway took to answer a poll
// with nothing before: see timedOut) is told once (a Notice of kind NoticeUnreachable) and tried
// again, each wait twice the last (from 500ms, or interval when
// shorter, to at most 2s, jittered), for up to s.MaxOutage, then Watch
// ends with an *OutageError (when MaxOutage is negative, the first such
// failure ends Watch, with its error). While
// the gateway is down any answer that is not AMF (a 404 of a web
// server whose application is not deployed yet) counts as none. Once it
// answers, its answer to the poll tells what it kept:
//
//   - the fault Server.Processing.NotSubscribed (as BlazeDS and amfcall
//     serve answer after a restart), another fault, or a poll reply
//     with a new DSId (a new Flex client: it restarted): the
//     subscription is made again (with its id, and the Flex login when
//     Config.FlexUser is set), and a Notice of kind NoticeResubscribed
//     says that what was published between the last poll answered
//     before the outage and the new subscription may be lost;
//   - a poll reply: the gateway kept the subscription, and the messages
//     it queued meanwhile are passed on; the subscription is made again
//     all the same (a gateway that answers a client it does not know
//     with no fault), and when its acknowledgement gives another id the
//     loss is told as above.
//
// Likewise, with that notice, when a poll reply says the gateway ended
// the subscription (CommandMessage operation 10), or a poll is answered
// with the fault Server.Processing.NotSubscribed while the gateway
// answered (once: the same answer to the poll after subscribing again
// ends Watch with that fault).
//
// When ctx ends (Ctrl-C) or Until comes while the gateway does not
// answer, Watch returns an *OutageError (Interrupted set for ctx): the
// subscription was not live then, and what was published since its last
// poll was not received.
func (s *Subscription) Watch(ctx context.Context, interval time.Duration, fn func(*amf.Object) bool) error {
	var down *outage // nil while the gateway answers
	renewed := false // the last poll's NotSubscribed fault was answered by subscribing again
	limit := s.MaxOutage
	if limit == 0 {
		limit = DefaultMaxOutage
	}
	// stop ends at Until (or with ctx): the waits between polls and the
	// subscribing again end with it; a poll ends with ctx only, or with
	// the grace (pollBounded).
	stop := ctx
	if !s.Until.IsZero() {
		var cancel context.CancelFunc
		stop, cancel = context.WithDeadline(ctx, s.Until)
		defer cancel()
	}
	// backoff waits before the next try of a gateway that did not
	// answer (err says how), telling the outage at its start; it
	// returns what ends Watch: an *OutageError past the limit, at Until
	// or at Ctrl-C, or err when there is no trying again.
	backoff := func(err error) error {
		if limit < 0 {
			return err
		}
		if down == nil {
			down = &outage{since: time.Now()}
			apart := fmt.Sprintf(", at most %v apart", maxRetryWait)
			if limit <= maxRetryWait {
				apart = "" // ("for up to 1s, at most 2s apart")
			}
			s.c.events.OnNotice(Notice{Warning: true, Kind: NoticeUnreachable,
				Msg: fmt.Sprintf("gateway unreachable: a poll failed: %v; trying again, for up to %v%s; nothing is received meanwhile", err, limit, apart)})
		} else if time.Since(down.since) >= limit {
			return s.outageError(down, err, false)
		}
		down.err = err
		down.wait = retryWait(down.wait, interval)
		// The last try is at the limit, not up to a wait (2s) past it:
		// --retry-for 2s gave up after 3s, saying so beside "(now
		// 2s)".
		d := jitter(down.wait)
		if left := limit - time.Since(down.since); d > left {
			d = max(left, 0)
		}
		if !sleep(stop, d) {
			return s.outageError(down, err, ctx.Err() != nil)
		}
		return nil
	}
	// renew makes the subscription again after the gateway lost it
	// (why says how that was seen), and tells what may be lost. It
	// returns false and what ends Watch when that failed; a gateway
	// that stops answering again meanwhile is still down (false, nil).
	renew := func(why string, kind NoticeKind) (bool, error) {
		from := s.lastOK
		if err := s.again(stop); err != nil {
			switch {
			case ctx.Err() != nil && down != nil:
				return false, s.outageError(down, ctx.Err(), true)
			case ctx.Err() != nil:
				return false, nil
			case stop.Err() != nil && down != nil:
				return false, s.outageError(down, err, false)
			case stop.Err() != nil:
				return false, s.lastPoll(ctx, fn)
			case down != nil && !isFault(err):
				// Down again: tried again after the next wait.
				return false, backoff(err)
			}
			return false, err
		}
		s.c.events.OnNotice(Notice{Warning: true, Kind: kind,
			Msg: fmt.Sprintf("%s: subscribed to %s again; messages published between %s and %s may be lost", why, s.dest, stamp(from), stamp(time.Now()))})
		down = nil
		return true, nil
	}
	for {
		dsid := s.c.DSId()
		sentAt := time.Now()
		msgs, wait, held, ph, err := s.pollBounded(ctx)
		ended := stop.Err() != nil // Until came while it was under way
		if err != nil {
			switch {
			case ctx.Err() != nil && down != nil:
				return s.outageError(down, ctx.Err(), true) // Ctrl-C while down
			case ctx.Err() != nil:
				return nil // Ctrl-C
			case ended && down != nil:
				return s.outageError(down, err, false)
			case ended && (held || errors.Is(err, ErrTimeout)):
				// The last poll, held with no reply begun: no
				// message came.
				return nil
			case ended:
				return err
			}
			var he *HTTPError
			stillDown := down != nil && errors.As(err, &he)
			if errors.Is(err, ErrTimeout) {
				err = s.timedOut(ctx, err, ph, time.Since(sentAt))
			}
			switch {
			case down == nil && errors.Is(err, ErrTimeout) && !errors.As(err, new(*OutOfReachError)):
				// A poll sent and held past the timeout, no longer
				// than the gateway's own wait allows: a
				// long-polling channel holds one until a message
				// comes. Not an outage; poll again.
				s.c.events.OnNotice(Notice{Warning: true, Kind: NoticePollHeld,
					Msg: fmt.Sprintf("a poll was not answered in time (%v): polling again; a long-polling channel holds a poll until a message comes, so the timeout must be longer than its wait", err)})
				continue
			case Unanswered(err) || stillDown:
				if berr := backoff(err); berr != nil {
					return berr
				}
				continue
			case down != nil && isFault(err):
				// Back, and its answer to the poll says it no
				// longer has the subscription.
				ok, rerr := renew(fmt.Sprintf("the gateway answers again after %v, without the subscription to %s (it answered the poll with the fault %s: it restarted, or ended the subscription)", s.downFor(down), s.dest, faultCode(err)), NoticeResubscribed)
				switch {
				case ok:
					renewed = true
				case rerr != nil || down == nil:
					return rerr
				default:
					continue // down again, and waited
				}
			case notSubscribed(err) && !renewed:
				// BlazeDS's answer to a poll from a client it
				// knows no subscription of: it restarted, or the
				// subscription timed out. Made again once; a
				// second such answer in a row ends Watch.
				ok, rerr := renew(fmt.Sprintf("the gateway no longer knows the subscription to %s (%v)", s.dest, err), NoticeResubscribed)
				if !ok {
					return rerr
				}
				renewed = true
			default:
				return err
			}
			if !sleep(stop, max(minPollWait, interval)) {
				return s.lastPoll(ctx, fn)
			}
			continue
		}
		renewed = false
		if down == nil {
			s.lastOK = sentAt
		}
		if len(msgs) == 0 {
			s.ownWait = max(s.ownWait, time.Since(sentAt))
		}
		for _, m := range msgs {
			if !fn(m) {
				return nil
			}
		}
		if down != nil {
			// Back, and the poll was answered: the gateway kept the
			// subscription, unless it answers as a new Flex client.
			if now := s.c.DSId(); now != dsid && dsid != "nil" {
				ok, rerr := renew(fmt.Sprintf("the gateway answers again after %v as a new Flex client (DSId %s, was %s): it restarted", s.downFor(down), now, dsid), NoticeResubscribed)
				if !ok && (rerr != nil || down == nil) {
					return rerr
				}
				continue
			}
			id, from, since := s.ID, s.lastOK, s.downFor(down)
			if err := s.again(stop); err != nil {
				// Made again only to be sure: the poll was
				// answered, so the subscription is there.
				if ctx.Err() != nil {
					return nil
				}
			} else if s.ID != id {
				s.c.events.OnNotice(Notice{Warning: true, Kind: NoticeResubscribed,
					Msg: fmt.Sprintf("the gateway answers again after %v, and gave the subscription to %s a new id (it did not have it): subscribed to %s again; messages published between %s and %s may be lost", since, s.dest, s.dest, stamp(from), stamp(time.Now()))})
				down = nil
				continue
			}
			s.c.events.OnNotice(Notice{Warning: true, Kind: NoticeResubscribed,
				Msg: fmt.Sprintf("the gateway answers again after %v and kept the subscription to %s: what was published meanwhile is delivered", since, s.dest)})
			s.lastOK = sentAt
			down = nil
			continue // poll again at once: the queue may hold more
		}
		if ended {
			// Answered after Until: it brought all that was
			// published before.
			return nil
		}
		if s.invalidated {
			// Made again, then polled after the usual wait: a gateway
			// that ends every subscription at once is not answered
			// with a busy loop.
			// Told as a warning of its own kind: a gateway that ends
			// every subscription at once would have it at every poll.
			if ok, rerr := renew("the gateway ended the subscription to "+s.dest+" (CommandMessage operation 10)", 0); !ok {
				return rerr
			}
		}
		if interval > 0 {
			wait = interval
		}
		if !sleep(stop, wait) {
			return s.lastPoll(ctx, fn)
		}
	}
}

// downFor is how long the gateway has not answered, to a tenth of a
// second.
func (s *Subscription) downFor(o *outage) time.Duration {
	return time.Since(o.since).Round(100 * time.Millisecond)
}

// outageError is Watch's error when it ends while the gateway does not
// answer: err is the last try's failure (or ctx's, when interrupted).
func (s *Subscription) outageError(o *outage, err error, interrupted bool) *OutageError {
	if interrupted && o.err != nil {
		err = o.err
	}
	return &OutageError{For: outageSpan(time.Since(o.since)), Since: s.lastOK, Err: err, Interrupted: interrupted}
}

// outageSpan is how long an outage lasted, as it is told: to the
// second, or to the tenth of one under 10s (--retry-for 500ms gave
// "did not answer for 1s", and 300ms "for 0s").
func outageSpan(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// faultCode is the code of the fault err holds, quoted when it is not
// one word of printable ASCII.
func faultCode(err error) string {
	var f *Fault
	if !errors.As(err, &f) {
		return ""
	}
	if flexID(f.Code) && len(f.Code) <= 80 {
		return f.Code
	}
	return "\"" + safetext.Escape(f.Code, 80) + "\""
}

func isFault(err error) bool {
	var f *Fault
	return errors.As(err, &f)
}

// lastPoll is Watch's poll once Until has come between two polls (or
// while it subscribed again): what was published since the last one is
// queued at the gateway, and is passed on. Nothing is done after Ctrl-C
// (ctx done).
func (s *Subscription) lastPoll(ctx context.Context, fn func(*amf.Object) bool) error {
	if ctx.Err() != nil {
		return nil
	}
	msgs, _, held, _, err := s.pollBounded(ctx)
	if err != nil {
		if ctx.Err() != nil || held || errors.Is(err, ErrTimeout) {
			return nil // none came, with a long-polling gateway
		}
		return err
	}
	for _, m := range msgs {
		if !fn(m) {
			break
		}
	}
	return nil
}

// pollPhase is how far the request of a poll went: sent (written
// whole), and answered (the first byte of a reply came). A redirect or
// a request sent again on a new connection starts it over.
type pollPhase struct {
	sent, answered atomic.Bool
}

// trace adds the hooks that follow the poll's request to ctx.
func (ph *pollPhase) trace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn: func(string) { ph.sent.Store(false); ph.answered.Store(false) },
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				ph.sent.Store(true)
			}
		},
		GotFirstResponseByte: func() { ph.answered.Store(true) },
	})
}

// heldMargin is the least a poll must be held past the gateway's own
// wait (besides as long again) to be taken for an outage: a loopback
// gateway answers in a millisecond or two, give or take as much.
var heldMargin = 100 * time.Millisecond

// timedOut tells apart the polls that a timeout (err, after held) cut
// short. A long-polling channel holds a poll until a message comes, past
// the client's timeout when that is shorter than its wait: the request
// went out, no reply has begun, and the gateway has answered no poll
// with nothing much sooner. That is no outage, and err is returned as
// it is. The others are: a poll that never went out (no connection
// made: a firewall that drops the packets, a host that is down), and
// one held well past the wait with which the gateway answered the polls
// before (twice as long, and heldMargin more): it stopped answering.
// Those are returned as an *OutOfReachError saying so. A reply that had
// begun is left as it is. A gateway that answered its polls with nothing
// at once may still hold some (BlazeDS answers at once when more polls
// wait than it allows, or when the client polls again): so before a held
// poll is taken for an outage, the gateway is pinged (a Flex ping, within
// the client's timeout); one that answers it, even with a fault, holds
// the poll and is polled again as before.
func (s *Subscription) timedOut(ctx context.Context, err error, ph *pollPhase, held time.Duration) error {
	var he *HTTPError
	if !errors.As(err, &he) || ph.answered.Load() {
		return err
	}
	within := s.c.timeout
	if within <= 0 || held < within {
		within = held.Round(time.Millisecond) // the idle timeout's, or the connect timeout's
	}
	e := *he
	switch {
	case !ph.sent.Load() && he.Reason == ReasonConnectTimeout:
		// Said already: "no connection within 1s".
	case !ph.sent.Load():
		e.Err, e.Detail = nil, fmt.Sprintf("the poll did not go out within %v: no connection was made", within)
		e.Hint = "the gateway is out of reach (down, or behind a firewall that drops the packets)"
	case s.ownWait > 0 && held >= 2*s.ownWait+heldMargin && !s.answersPing(ctx):
		e.Err, e.Detail = nil, fmt.Sprintf("no reply to the poll within %v, where the gateway answered the earlier ones within %v", within, ownWaitText(s.ownWait))
		e.Hint = "the gateway stopped answering"
	default:
		return err
	}
	return &OutOfReachError{&e}
}

// answersPing tells whether the gateway answers a Flex ping (with an
// acknowledgement or a fault: anything but no answer), within the
// client's timeout, and no later than Until with its grace, as a poll
// (one cut there, or by ctx, is not taken for an outage: Watch ends).
func (s *Subscription) answersPing(ctx context.Context) bool {
	if !s.Until.IsZero() {
		grace := s.Grace
		if grace <= 0 {
			grace = DefaultPollGrace
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, s.Until.Add(grace))
		defer cancel()
	}
	err := s.c.FlexPing(ctx)
	return err == nil || !Unanswered(err) || ctx.Err() != nil
}

// OutOfReachError is the error of a poll that timed out for want of the
// gateway (it was never sent, or the gateway holds it far longer than
// it held the polls before), not one that a long-polling gateway holds:
// see [Subscription.Watch].
type OutOfReachError struct{ *HTTPError }

func (e *OutOfReachError) Unwrap() error { return e.HTTPError }

// ownWaitText is the gateway's wait as told: to the millisecond, 1ms
// at least.
func ownWaitText(d time.Duration) string {
	return max(d, time.Millisecond).Round(time.Millisecond).String()
}

// pollBounded polls with ctx, ph saying how far its request went. When
// Until is set, a poll whose reply has not started by Until plus the
// grace is given up: held is then set (with the cancellation as err).
func (s *Subscription) pollBounded(ctx context.Context) (msgs []*amf.Object, wait time.Duration, held bool, ph *pollPhase, err error) {
	ph = &pollPhase{}
	ctx = ph.trace(ctx)
	if s.Until.IsZero() {
		msgs, wait, err = s.Poll(ctx)
		return msgs, wait, false, ph, err
	}
	grace := s.Grace
	if grace <= 0 {
		grace = DefaultPollGrace
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var started, gaveUp atomic.Bool
	pctx = httptrace.WithClientTrace(pctx, &httptrace.ClientTrace{GotFirstResponseByte: func() { started.Store(true) }})
	t := time.AfterFunc(time.Until(s.Until.Add(grace)), func() {
		if !started.Load() {
			gaveUp.Store(true)
			cancel()
		}
	})
	defer t.Stop()
	msgs, wait, err = s.Poll(pctx)
	return msgs, wait, err != nil && gaveUp.Load(), ph, err
}

// NotSubscribedCode is the fault code with which BlazeDS answers a poll
// from a Flex client that has no subscription (through that endpoint):
// the gateway restarted, or ended the subscription.
const NotSubscribedCode = "Server.Processing.NotSubscribed"

func notSubscribed(err error) bool {
	var f *Fault
	return errors.As(err, &f) && f.Code == NotSubscribedCode
}

// again makes the subscription again (after logging in again, when the
// client logs in).
func (s *Subscription) again(ctx context.Context) error {
	s.invalidated = false
	c := s.c
	c.mu.Lock()
	c.flexLoggedIn = false
	c.mu.Unlock()
	if err := c.flexHandshake(ctx); err != nil {
		return err
	}
	return s.subscribe(ctx)
}

// sleep waits d, or until ctx is done (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Unanswered reports whether err says the gateway did not answer (a
// connection refused or reset, a timeout, an HTTP 5xx status, an empty
// reply), as when it restarts: worth trying again, unlike a reply that
// came and was wrong.
func Unanswered(err error) bool {
	var he *HTTPError
	if !errors.As(err, &he) {
		return false
	}
	switch he.Kind {
	case ErrRefused, ErrConnection, ErrTimeout, ErrEmptyBody:
		return true
	case ErrStatus:
		code := 0
		fmt.Sscanf(he.Status, "%d", &code)
		return code >= http.StatusInternalServerError
	}
	return false
}

// OutageError is Watch's error when it ends while the gateway does not
// answer: after Subscription.MaxOutage, at Until, or interrupted (ctx
// done). Nothing published since Since was received.
type OutageError struct {
	For time.Duration
	// Since is when the last poll answered before the outage was sent
	// (or the subscription made).
	Since time.Time
	// Interrupted is set when ctx ended Watch (Ctrl-C).
	Interrupted bool
	Err         error // the last try's
}

func (e *OutageError) Error() string {
	return fmt.Sprintf("the gateway did not answer for %v: %v; messages published since %s were not received", e.For, e.Err, stamp(e.Since))
}

func (e *OutageError) Unwrap() error { return e.Err }
