package gateway

import (
	"strings"
	"sync"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// Flex messaging (producers and consumers over a polling channel): any
// destination name is a topic. A publish (AsyncMessage) is queued for
// every subscription to its destination and subtopic, in order; a poll
// hands a client the messages queued for its subscriptions.
//
// Bounds, so that no client grows the gateway's memory without limit:
// a message (its body and the headers queued with it) of at most
// maxMessageBytes (encoded), maxSubscriptions subscriptions in all, each
// holding at most maxQueued messages and maxQueuedBytes (the oldest are
// dropped first, and the log says how many), maxTotalBytes in all the
// queues (a publish beyond it is refused until subscribers poll), and a
// subscription not polled for subscriptionIdle is ended (for
// subscriptionIdleWhenFull, when a new one finds every place taken).
// A message is kept decoded, so the queues count it as its bytes plus
// what its values take once decoded (package valuecost); one that alone
// would pass maxQueuedBytes is refused.
//
// Subtopics are hierarchical as BlazeDS's are, with "." between their
// segments: a subscription to "news.*" gets what is published to
// "news.sports" or "news.sports.uk" (a last "*" stands for one or more
// segments), "news.*.uk" gets "news.sports.uk" (a "*" between stands
// for one), and "*" alone gets every subtopic. A "*" must be a whole
// segment, and a message can't be published to a wildcard.
//
// Selectors (DSSelector) are evaluated as Adobe's BlazeDS does, JMS
// message selectors over the message's headers (selector.go): a
// subscription gets the messages of its subtopic its selector is true
// for. A selector that does not parse is refused at subscribe, with the
// position of its fault.
const (
	maxMessageBytes  = 1 << 20
	maxSubscriptions = 256
	maxQueued        = 1000
	maxQueuedBytes   = 4 << 20
	maxTotalBytes    = 64 << 20
	maxPollBatch     = 100
	subscriptionIdle = 5 * time.Minute
	// subscriptionIdleWhenFull: while maxSubscriptions are taken, a
	// subscription not polled for this long makes room for a new one.
	subscriptionIdleWhenFull = time.Minute
	maxNameLen               = 256
)

// pollCostFactor: a message a poll hands over is charged to the poll's
// request this many times its queued size (its values, already counted
// in it, and their encoding in the reply). Before, a poll's messages
// left the queues' bound and were charged nowhere while its reply was
// written: a message of 900 KB published to 64 subscriptions of one
// DSId was a 58 MB reply to one poll of a few hundred bytes, held while
// a client that does not read took the write timeout (30 s) per write,
// and the queues took new messages meanwhile.
const pollCostFactor = 2

// subtopicSeparator and subtopicWildcard are BlazeDS's defaults.
const (
	subtopicSeparator = "."
	subtopicWildcard  = "*"
)

// warningHeader is the acknowledgement header that tells the client
// what the gateway accepted but does not do (client.GatewayWarningHeader).
const warningHeader = "amfcallWarning"

// checkSubtopic says what is wrong with a subtopic, as BlazeDS checks
// it: no empty segment, and a "*" only as a whole segment. "" (no
// subtopic) is fine.
func checkSubtopic(s string) string {
	if s == "" {
		return ""
	}
	for _, seg := range strings.Split(s, subtopicSeparator) {
		switch {
		case seg == "":
			return "it has an empty segment (subtopics are segments joined by \"" + subtopicSeparator + "\")"
		case seg != subtopicWildcard && strings.Contains(seg, subtopicWildcard):
			return "a \"" + subtopicWildcard + "\" must be a whole segment, as in news.*"
		}
	}
	return ""
}

// isWildcard says whether a (valid) subtopic has a wildcard segment.
func isWildcard(s string) bool {
	return s == subtopicWildcard || strings.HasPrefix(s, subtopicWildcard+subtopicSeparator) ||
		strings.Contains(s, subtopicSeparator+subtopicWildcard)
}

// subtopicMatches says whether a subscription to sub gets a message
// published to pub (which has no wildcard). Without a subtopic, only
// messages without one match.
func subtopicMatches(sub, pub string) bool {
	if sub == pub {
		return true
	}
	if sub == "" || pub == "" || !isWildcard(sub) {
		return false
	}
	ss := strings.Split(sub, subtopicSeparator)
	ps := strings.Split(pub, subtopicSeparator)
	for i, seg := range ss {
		if i >= len(ps) {
			return false // "news.*" does not get "news"
		}
		if seg == subtopicWildcard && i == len(ss)-1 {
			return true // one or more trailing segments
		}
		if seg != subtopicWildcard && seg != ps[i] {
			return false
		}
	}
	return len(ss) == len(ps)
}

// CommandMessage operations of messaging.
const (
	opSubscribe   = 0
	opUnsubscribe = 1
	opPoll        = 2
	opClientSync  = 4
)

// published is one message as published, shared by the queues.
type published struct {
	dest, subtopic string
	body           any
	headers        []amf.Member
	messageID      string
	timestamp      float64
	size           int
}

type subscription struct {
	id, dsid       string
	dest, subtopic string
	sel            *selNode // nil: every message
	queue          []*published
	bytes          int
	dropped        int
	lastPoll       time.Time
}

// topics holds the subscriptions of the messaging destinations.
type topics struct {
	mu sync.Mutex
	// evalMu is held by a publish while it evaluates selectors, outside
	// mu: publishes take one core for selectors at most, as when mu
	// held them, and polls and subscribes do not wait for them.
	evalMu sync.Mutex
	subs   map[string]*subscription // by subscription id
	// order lists the subscription ids in the order they were made, so
	// that delivery does not depend on map order.
	order []string
	bytes int // the sum of the subscriptions' bytes
}

func (t *topics) init() {
	if t.subs == nil {
		t.subs = make(map[string]*subscription)
	}
}

// expire ends the subscriptions not polled for subscriptionIdle. t.mu is
// held.
func (t *topics) expire(now time.Time) {
	kept := t.order[:0]
	for _, id := range t.order {
		s := t.subs[id]
		if now.Sub(s.lastPoll) > subscriptionIdle {
			t.bytes -= s.bytes
			delete(t.subs, id)
			continue
		}
		kept = append(kept, id)
	}
	t.order = kept
}

// longestIdle is the subscription polled longest ago. t.mu is held.
func (t *topics) longestIdle() *subscription {
	var oldest *subscription
	for _, id := range t.order {
		if s := t.subs[id]; oldest == nil || s.lastPoll.Before(oldest.lastPoll) {
			oldest = s
		}
	}
	return oldest
}

func (t *topics) remove(id string) bool {
	s, ok := t.subs[id]
	if !ok {
		return false
	}
	t.bytes -= s.bytes
	delete(t.subs, id)
	for i, x := range t.order {
		if x == id {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	return true
}

// messaging answers the messaging CommandMessages: subscribe,
// unsubscribe, poll.
func (g *Gateway) messaging(f *flexReply, op int64) (reply any, ok bool, label string) {
	msg := f.msg
	dest := memberString(msg, "destination")
	subtopic := headerString(msg, "DSSubtopic")
	now := g.opt.Now()
	t := &g.topics
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	t.expire(now)
	switch op {
	case opSubscribe:
		label = "CommandMessage subscribe " + topicName(dest, subtopic)
		if dest == "" || len(dest) > maxNameLen || len(subtopic) > maxNameLen {
			return f.fail(&Fault{Code: "Client.Error.Subscribe", Description: "a subscription needs a destination name of 1 to 256 bytes (and a subtopic of at most 256)", Name: "MessagingError"}), false, label
		}
		if why := checkSubtopic(subtopic); why != "" {
			return f.fail(&Fault{Code: "Client.Error.Subscribe", Description: "the subtopic " + quoteName(subtopic) + " is not valid: " + why, Name: "MessagingError"}), false, label
		}
		ack := func() amf.AVMPlus { return f.ack(nil) }
		var sel *selNode
		if text := headerString(msg, "DSSelector"); strings.TrimSpace(text) != "" {
			var err error
			if sel, err = parseSelector(text); err != nil {
				// As BlazeDS refuses it (JMSSelectorException): the
				// selector and where it fails.
				return f.fail(&Fault{Code: "Client.Error.Subscribe", Description: "the selector expression " + quoteName(text) + " is not valid: " + oneLine(err.Error(), 300), Name: "JMSSelectorException"}), false, label
			}
		}
		id, _ := f.clientID.(string)
		if s, dup := t.subs[id]; dup && s.dsid == f.dsid {
			s.dest, s.subtopic, s.sel, s.lastPoll = dest, subtopic, sel, now // a resubscribe
			return ack(), true, label
		} else if dup {
			id = amf.NewFlexID()
			f.clientID = id
		}
		if len(t.subs) >= maxSubscriptions {
			if s := t.longestIdle(); s != nil && now.Sub(s.lastPoll) >= subscriptionIdleWhenFull {
				g.logf("subscription %s to %s ended: not polled for %s, and the gateway has %d subscriptions, its limit", s.id, topicName(s.dest, s.subtopic), fmtDur(now.Sub(s.lastPoll)), maxSubscriptions)
				t.remove(s.id)
			}
		}
		if len(t.subs) >= maxSubscriptions {
			return f.fail(&Fault{Code: "Server.Resource.Unavailable", Description: "this gateway has too many subscriptions (" + itoa(maxSubscriptions) + "); unsubscribe some first", Name: "MessagingError"}), false, label
		}
		t.subs[id] = &subscription{id: id, dsid: f.dsid, dest: dest, subtopic: subtopic, sel: sel, lastPoll: now}
		t.order = append(t.order, id)
		return ack(), true, label
	case opUnsubscribe:
		label = "CommandMessage unsubscribe " + topicName(dest, subtopic)
		id, _ := f.clientID.(string)
		if s := t.subs[id]; s != nil && s.dsid == f.dsid {
			t.remove(id)
		}
		return f.ack(nil), true, label
	}
	// Poll: the messages queued for every subscription of this DSId.
	label = "CommandMessage poll"
	var out []any
	subscribed := false
	for _, id := range t.order {
		s := t.subs[id]
		if s.dsid != f.dsid {
			continue
		}
		subscribed = true
		s.lastPoll = now
		n := min(len(s.queue), maxPollBatch-len(out))
		for i, p := range s.queue[:n] {
			// Handed over, a message leaves the queues' bound: the
			// request is charged for it (its values and their encoding
			// in the reply), without waiting (t.mu is held). One that
			// finds no room stays queued for a later poll.
			if !f.res.tryGrow(pollCostFactor * int64(p.size)) {
				n = i
				break
			}
			out = append(out, p.asyncMessage(s.id))
			s.bytes -= p.size
			t.bytes -= p.size
		}
		s.queue = append(s.queue[:0:0], s.queue[n:]...)
		if s.dropped > 0 {
			g.logf("subscription %s to %s: %d messages dropped (its queue was full)", s.id, topicName(s.dest, s.subtopic), s.dropped)
			s.dropped = 0
		}
	}
	if !subscribed {
		// As BlazeDS answers a client it knows no subscription of (it
		// restarted, or the subscription expired): the client can
		// subscribe again, where an empty answer left it polling for
		// ever (rvflex7).
		return f.fail(&Fault{Code: "Server.Processing.NotSubscribed", Description: "this client has no subscription here (the gateway restarted, or the subscription was not polled for 5 minutes): subscribe again", Name: "MessageException"}), false, label
	}
	if len(out) == 0 {
		return f.ack(nil), true, label
	}
	label += " (" + itoa(int64(len(out))) + " messages)"
	return f.clientSync(out), true, label
}

// publishMessage queues an AsyncMessage for the subscriptions to its
// destination and subtopic.
func (g *Gateway) publishMessage(f *flexReply) (reply any, ok bool, label string) {
	msg := f.msg
	dest := memberString(msg, "destination")
	subtopic := headerString(msg, "DSSubtopic")
	label = "AsyncMessage " + topicName(dest, subtopic)
	if dest == "" || len(dest) > maxNameLen || len(subtopic) > maxNameLen {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "a message needs a destination name of 1 to 256 bytes (and a subtopic of at most 256)", Name: "MessagingError"}), false, label
	}
	if why := checkSubtopic(subtopic); why != "" {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "the subtopic " + quoteName(subtopic) + " is not valid: " + why, Name: "MessagingError"}), false, label
	}
	if isWildcard(subtopic) {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "a message can't be published to the wildcard subtopic " + quoteName(subtopic) + "; name one subtopic", Name: "MessagingError"}), false, label
	}
	body := member(msg, "body")
	var headers []amf.Member
	if h, ok := member(msg, "headers").(*amf.Object); ok {
		for _, m := range h.Members {
			if keptHeader(m.Name) {
				headers = append(headers, m)
			}
		}
	}
	// What is queued is the body and the headers kept with it: both
	// count, so that a message cannot carry megabytes in its headers
	// past the bounds.
	b, err := amf.Marshal(amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{{Name: "body", Value: body}, {Name: "headers", Value: &amf.Object{Members: headers}}}}}, amf.AMF0)
	if err != nil {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "the message cannot be queued: " + oneLine(err.Error(), 300), Name: "MessagingError"}), false, label
	}
	if len(b) > maxMessageBytes {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "the message (body and headers) is larger than this gateway queues (" + itoa(maxMessageBytes) + " bytes)", Name: "MessagingError"}), false, label
	}
	// A queued message is kept decoded, and dense small values (empty
	// objects, nulls) take 15-40 times their bytes so: it is counted as
	// its bytes plus what its values take (a megabyte of empty objects
	// held about 24 MB, and 53 such messages 1.27 GB, when the queues
	// counted bytes alone).
	cost, _ := valuecost.Value(amf.NewReader(b, amf.AMF0))
	size := len(b) + int(min(cost, maxTotalBytes+1))
	if size > maxQueuedBytes {
		return f.fail(&Fault{Code: "Client.Error.Publish", Description: "the message's values (body and headers) would take about " + valuecost.Text(int64(size)) + " queued, more than this gateway keeps for one subscription (" + valuecost.Text(maxQueuedBytes) + "); send fewer values", Name: "MessagingError"}), false, label
	}
	p := &published{dest: dest, subtopic: subtopic, body: body, headers: headers, messageID: memberString(msg, "messageId"), size: size}
	if p.messageID == "" || len(p.messageID) > maxNameLen {
		p.messageID = amf.NewFlexID()
	}
	if ts, ok := memberInt(msg, "timestamp"); ok && ts > 0 {
		p.timestamp = float64(ts)
	} else {
		p.timestamp = f.timestamp()
	}
	t := &g.topics
	t.mu.Lock()
	t.init()
	t.expire(g.opt.Now())
	// What the evaluation reads of a subscription is copied here: a
	// resubscribe changes its fields under mu.
	type candidate struct {
		s     *subscription
		sel   *selNode
		topic string
	}
	var cands []candidate
	for _, id := range t.order {
		s := t.subs[id]
		if s.dest == dest && subtopicMatches(s.subtopic, subtopic) {
			c := candidate{s: s, sel: s.sel}
			if s.sel != nil {
				c.topic = s.id + " to " + topicName(s.dest, s.subtopic)
			}
			cands = append(cands, c)
		}
	}
	t.mu.Unlock()
	// The selectors are evaluated without the queues' lock (a parsed
	// selector is never changed; a resubscribe replaces it): up to
	// maxSubscriptions budgets of selectorBudget steps (about 1 s with
	// hostile ones) delay publishes, one at a time under evalMu, but
	// not the other clients' polls and subscribes (sec17).
	var idx selHeaders
	var to []*subscription
	t.evalMu.Lock()
	for _, c := range cands {
		if c.sel != nil {
			if idx == nil {
				idx = selectorHeaders(headers)
			}
			if selectorEvaluating != nil {
				selectorEvaluating()
			}
			match, ok := c.sel.matches(idx)
			if !ok {
				g.logf("subscription %s: its selector took too long over message %s; not delivered", c.topic, quoteName(p.messageID))
			}
			if !match {
				continue
			}
		}
		to = append(to, c.s)
	}
	t.mu.Lock()
	t.evalMu.Unlock() // after mu: publishes queue in the order they were evaluated
	// A subscription that ended meanwhile gets nothing.
	kept := to[:0]
	for _, s := range to {
		if t.subs[s.id] == s {
			kept = append(kept, s)
		}
	}
	to = kept
	if t.bytes+len(to)*p.size > maxTotalBytes {
		t.mu.Unlock()
		return f.fail(&Fault{Code: "Server.Resource.Unavailable", Description: "the gateway's message queues are full (" + itoa(maxTotalBytes) + " bytes); try again once the subscribers have polled", Name: "MessagingError"}), false, label
	}
	for _, s := range to {
		s.queue = append(s.queue, p)
		s.bytes += p.size
		t.bytes += p.size
		for len(s.queue) > maxQueued || s.bytes > maxQueuedBytes {
			s.bytes -= s.queue[0].size
			t.bytes -= s.queue[0].size
			s.queue[0] = nil
			s.queue = s.queue[1:]
			s.dropped++
		}
	}
	n := len(to)
	t.mu.Unlock()
	label += " to " + itoa(int64(n)) + " subscribers"
	return f.ack(nil), true, label
}

// selectorEvaluating, when set (by a test), is called before each
// selector is evaluated for a publish.
var selectorEvaluating func()

// keptHeader says whether a published message's header goes with it to
// the subscribers: its own headers, its subtopic and its priority, as
// BlazeDS's MessageService delivers them (it removes DSId and
// DSEndpoint, and keeps DSPriority). The other DS headers (a
// DSRemoteCredentials...) stay with the publisher.
func keptHeader(name string) bool {
	return name == "DSSubtopic" || name == "DSPriority" || !strings.HasPrefix(name, "DS")
}

// asyncMessage is the message as a subscription receives it: its
// clientId is the subscription id.
func (p *published) asyncMessage(subID string) *amf.Object {
	return &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
		{Name: "body", Value: p.body},
		{Name: "clientId", Value: subID},
		{Name: "correlationId", Value: ""},
		{Name: "destination", Value: p.dest},
		{Name: "headers", Value: &amf.Object{Members: p.headers}},
		{Name: "messageId", Value: p.messageID},
		{Name: "timestamp", Value: p.timestamp},
		{Name: "timeToLive", Value: 0.0},
	}}
}

// clientSync is the poll reply carrying messages: a CommandMessage of
// operation 4 whose body is the array of messages.
func (f *flexReply) clientSync(msgs []any) amf.AVMPlus {
	return amf.AVMPlus{Value: &amf.Object{Class: amf.ClassCommandMessage, Members: []amf.Member{
		{Name: "body", Value: &amf.Array{Dense: msgs}},
		{Name: "clientId", Value: nil},
		{Name: "correlationId", Value: memberString(f.msg, "messageId")},
		{Name: "destination", Value: ""},
		{Name: "headers", Value: f.headers()},
		{Name: "messageId", Value: amf.NewFlexID()},
		{Name: "operation", Value: amf.Int(opClientSync)},
		{Name: "timestamp", Value: f.timestamp()},
		{Name: "timeToLive", Value: 0.0},
	}}}
}

func topicName(dest, subtopic string) string {
	s := dest
	if subtopic != "" {
		s += " (subtopic " + subtopic + ")"
	}
	return oneLine(s, 120)
}

// quoteName quotes a name a client chose, escaped and cut to one line.
func quoteName(s string) string {
	return "\"" + oneLine(s, 120) + "\""
}
