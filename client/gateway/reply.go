package gateway

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/amfcall/amfcall/amf"
)

// A reply is encoded body by body as the calls answer, so that what it
// holds is its bytes, not the values of every call at once: before, the
// values of all the bodies were built, uncharged, then encoded. One
// packet of 65,535 amfcall.discover calls (2.3 MB) took serve to 778 MB
// under a budget of 256 MiB; 8 packets of 65,535 Flex pings at once,
// 368 MB.
//
// The bytes go into pooled chunks of replyChunk bytes, so that a reply
// never grows by copying itself, and the request's memory reservation
// is charged for them as they come, beyond what it holds for the reply
// (a body read whole holds its size for an echo, a packet of several
// calls replyCallCost a call). A call whose answer finds no room in the
// budget is answered with a fault (Server.ResourceLimit, or Server.Busy
// when the room did not come within MemoryWait), and so is every call
// of the packet after it, without being run: each call's fault is held
// room for from the start (replyFaultMax, with the texts the client
// chose), so the faults themselves always fit. A body is charged once
// it is encoded: the reply may pass its room by that one body's bytes,
// which are then let go.

// replyChunk is the size of the pieces of a reply (replyPool's buffers).
const replyChunk = replyPooled

// replyFaultMax bounds what the fault that answers a call the reply has
// no room for takes encoded, besides the strings its request carried
// (its response URI and, for a Flex message, its messageId); a Flex
// message's, an ErrorMessage, takes at most replyFlexFaultMax.
// TestReplyFaultMax checks them on the largest (a clientId and DSId of
// 128 bytes, the most newFlexReply keeps).
const (
	replyFaultMax     = 512
	replyFlexFaultMax = 1 << 10
)

// replyFaultEst is the room held for the fault that may answer the
// request message m.
func replyFaultEst(m *amf.Message) int64 {
	n := int64(replyFaultMax + len(m.Response))
	if m.Target == "null" {
		if o := flexMessage(m.Value); o != nil {
			n += replyFlexFaultMax - replyFaultMax + int64(len(memberString(o, "messageId")))
		}
	}
	return n
}

// bodySink receives a reply's bodies as Gateway.handle makes them.
type bodySink interface {
	// put adds the body answering request message i (-1: a body of no
	// call, a debug event), or returns the fault that answers the call
	// instead when the reply has no room for it.
	put(m amf.Message, i int) *Fault
	// refused is the fault the calls after one put refused get, without
	// being run; nil before.
	refused() *Fault
}

// packetSink keeps the bodies as values (Handle).
type packetSink struct{ p *amf.Packet }

func (s packetSink) put(m amf.Message, _ int) *Fault {
	s.p.Messages = append(s.p.Messages, m)
	return nil
}

func (packetSink) refused() *Fault { return nil }

// replyWriter encodes a reply's bodies as they come (see the top of
// this file).
type replyWriter struct {
	ctx context.Context
	res *reservation // nil: nothing charged
	req *amf.Packet
	ver uint16
	mw  *amf.Writer
	buf []byte // the Writer's buffer: one body
	// data are the bodies: chunks of replyChunk bytes from replyPool,
	// and bodies of a chunk or more in buffers of their own; dataCap
	// is what they take.
	data    [][]byte
	dataCap int64
	size    int64 // bytes of the bodies
	n       int   // bodies
	// resN is the reservation when the last body was added.
	resN int64
	// paid is the reply memory the reservation holds; tail, the room
	// held for the faults of the calls not answered yet.
	paid, tail int64
	// full is the fault of the calls after the first the reply had no
	// room for.
	full *Fault
	// shown are the first bodies' values, for the verbose log (up to
	// maxLogLine bytes of them).
	shown     []amf.Message
	shownSize int64
	verbose   bool
	// err is a request no reply can answer (replyError).
	err error
}

// replyError says why a request has no reply.
type replyError struct{ msg string }

func (e *replyError) Error() string { return e.msg }

var replyWriters = sync.Pool{New: func() any { return amf.AppendWriter(nil, amf.AMF0) }}

// newReplyWriter readies the reply to req. paid is what the request's
// reservation already holds for the reply; sizeHint, the size of the
// request's body.
func (g *Gateway) newReplyWriter(ctx context.Context, res *reservation, req *amf.Packet, paid, sizeHint int64) *replyWriter {
	ver := replyVersion(req)
	rw := &replyWriter{ctx: ctx, res: res, req: req, ver: ver, paid: paid, verbose: g.opt.Verbose}
	rw.mw = replyWriters.Get().(*amf.Writer)
	if res != nil {
		rw.resN = res.n
	}
	if len(req.Messages) == 1 && sizeHint > replyChunk {
		// An echo: its answer is about as large as its request.
		rw.buf = make([]byte, 0, sizeHint+4096)
	}
	for i := range req.Messages {
		rw.tail += replyFaultEst(&req.Messages[i])
	}
	return rw
}

func (rw *replyWriter) refused() *Fault { return rw.full }

func (rw *replyWriter) put(m amf.Message, i int) *Fault {
	var est int64
	if i >= 0 {
		est = replyFaultEst(&rw.req.Messages[i])
	}
	if rw.res != nil {
		// What the call charged the reservation for its result (a
		// getSnapshots list, the messages of a poll) is room for its
		// answer.
		rw.paid += rw.res.n - rw.resN
		rw.resN = rw.res.n
	}
	if rw.err != nil {
		return nil
	}
	b, err := rw.encode(&m)
	if err != nil {
		// A value that cannot be encoded (an echo of something odd)
		// is answered with a fault.
		m = encodeFault(m, err, rw.ver)
		if b, err = rw.encode(&m); err != nil {
			// Nor its fault: the reply's target, the request's response
			// URI with /onResult, is longer than a packet holds. No
			// reply can say so.
			rw.err = &replyError{fmt.Sprintf("call %d of %d has a response URI of %d bytes: its reply's target (the URI and /onResult) would be longer than the 65535 bytes a packet's target holds",
				i+1, len(rw.req.Messages), len(m.Target)-len("/onStatus"))}
			return nil
		}
	}
	// A body of a chunk or more is kept in the buffer it was encoded in
	// (an echo of a large value is not copied); a smaller one is copied
	// into the chunks.
	whole := len(b) >= replyChunk
	if i >= 0 && rw.full == nil {
		held := rw.dataCap + int64(cap(b))
		if !whole {
			held = rw.chunksFor(int64(len(b))) + int64(cap(rw.buf))
		}
		if need := held + rw.tail - est; need > rw.paid {
			if f := rw.res.chargeReply(rw.ctx, need-rw.paid, fmt.Sprintf("its answer (%s)", sizeText(int64(len(b))))); f != nil {
				rw.full = &Fault{Code: f.Code, Type: f.Type, Name: f.Name, Description: fmt.Sprintf(
					"not run: the reply had no room left from call %d of this packet's %d on, in the gateway's memory budget of %s for requests in flight; send fewer calls in one request",
					i+1, len(rw.req.Messages), sizeText(rw.res.l.max))}
				return f
			}
			rw.paid = need
			if rw.res != nil {
				rw.resN = rw.res.n
			}
		}
	}
	rw.tail -= est
	if whole {
		rw.data = append(rw.data, b)
		rw.dataCap += int64(cap(b))
		rw.size += int64(len(b))
		rw.buf = nil
	} else {
		rw.store(b)
	}
	rw.n++
	if rw.verbose && rw.shownSize < maxLogLine {
		rw.shown = append(rw.shown, m)
		rw.shownSize += int64(len(b))
	}
	return nil
}

// chunksFor is what the chunks would take with k more bytes copied
// into them.
func (rw *replyWriter) chunksFor(k int64) int64 {
	if last := len(rw.data) - 1; last >= 0 && cap(rw.data[last]) == replyChunk {
		k -= int64(replyChunk - len(rw.data[last]))
	}
	if k <= 0 {
		return rw.dataCap
	}
	return rw.dataCap + (k+replyChunk-1)/replyChunk*replyChunk
}

// encode encodes one body into the Writer's buffer.
func (rw *replyWriter) encode(m *amf.Message) ([]byte, error) {
	rw.mw.ResetAppend(rw.buf[:0])
	rw.mw.BeginMessage(m.Target, m.Response)
	rw.mw.WriteValue(m.Value)
	rw.mw.EndPart()
	b, err := rw.mw.Bytes()
	if cap(b) > cap(rw.buf) {
		rw.buf = b[:0]
	}
	return b, err
}

// store copies b into the chunks.
func (rw *replyWriter) store(b []byte) {
	for len(b) > 0 {
		last := len(rw.data) - 1
		if last < 0 || cap(rw.data[last]) != replyChunk || len(rw.data[last]) == replyChunk {
			c := replyPool.Get().(*[]byte)
			rw.data = append(rw.data, (*c)[:0:replyChunk])
			rw.dataCap += replyChunk
			last++
		}
		c := rw.data[last]
		k := copy(c[len(c):replyChunk], b)
		rw.data[last] = c[:len(c)+k]
		b = b[k:]
		rw.size += int64(k)
	}
}

// writeTo writes the reply packet: its headers, then the bodies. It
// returns the reply's size.
func (rw *replyWriter) writeTo(w http.ResponseWriter, headers []amf.Header) (int64, error) {
	if rw.err != nil {
		return 0, rw.err
	}
	pw := rw.mw
	pw.ResetAppend(rw.buf[:0])
	pw.BeginPacket(rw.ver, len(headers))
	for _, h := range headers {
		pw.BeginHeader(h.Name, h.MustUnderstand)
		pw.WriteValue(h.Value)
		pw.EndPart()
	}
	pw.BeginMessages(rw.n)
	head, err := pw.Bytes()
	if err != nil {
		return 0, err
	}
	total := int64(len(head)) + rw.size
	w.Header().Set("Content-Length", strconv.FormatInt(total, 10))
	w.WriteHeader(http.StatusOK)
	out := wholeWriter(w)
	if _, err := out.Write(head); err != nil {
		return total, nil // the client went away: nothing to say to it
	}
	for _, c := range rw.data {
		if _, err := out.Write(c); err != nil {
			break
		}
	}
	return total, nil
}

// release gives the chunks and the Writer back to their pools.
func (rw *replyWriter) release() {
	for i, c := range rw.data {
		if cap(c) == replyChunk {
			c = c[:0]
			replyPool.Put(&c)
		}
		rw.data[i] = nil
	}
	if cap(rw.buf) <= replyKept {
		rw.mw.ResetAppend(nil)
		replyWriters.Put(rw.mw)
	}
	rw.mw, rw.buf = nil, nil
}

// shownPacket is the reply for the verbose log: its headers and the
// first bodies (see replyWriter.shown).
func (rw *replyWriter) shownPacket(headers []amf.Header) *amf.Packet {
	return &amf.Packet{Version: rw.ver, Headers: headers, Messages: rw.shown}
}

// encodeFault turns a reply body whose value cannot be encoded into a
// fault.
func encodeFault(m amf.Message, err error, ver uint16) amf.Message {
	f := &Fault{Code: "Server.Encode", Description: "the result cannot be encoded: " + err.Error(), Type: "EncodeError"}
	m.Target = strings.TrimSuffix(strings.TrimSuffix(m.Target, "/onResult"), "/onStatus") + "/onStatus"
	m.Value = any(f.object())
	if ver == 3 {
		m.Value = amf.AVMPlus{Value: m.Value}
	}
	return m
}

// faultReply is the body that answers the request message m with f
// without running it: an ErrorMessage for a Flex message, else a fault
// object.
func (g *Gateway) faultReply(m *amf.Message, f *Fault, ver uint16) amf.Message {
	if m.Target == "null" && isFlexMessage(m.Value) {
		return amf.Message{Target: m.Response + "/onStatus", Response: "null", Value: g.newFlexReply(flexMessage(m.Value)).fail(f)}
	}
	return plainFault(m, f, ver)
}

// plainFault is the fault object f answering the request message m.
func plainFault(m *amf.Message, f *Fault, ver uint16) amf.Message {
	v := any(f.object())
	if ver == 3 {
		v = amf.AVMPlus{Value: v}
	}
	return amf.Message{Target: m.Response + "/onStatus", Response: "null", Value: v}
}

// flexLabel names a Flex message in the log, as Gateway.flex does for
// a RemotingMessage.
func flexLabel(msg *amf.Object) string {
	if msg.Class == amf.ClassRemotingMessage {
		return "RemotingMessage " + remotingTarget(msg)
	}
	return msg.Class
}

// wholeWriter is what a reply of several pieces is written through:
// under one write deadline (stallWriter.whole) when w has them.
func wholeWriter(w http.ResponseWriter) io.Writer {
	if sw, ok := w.(*stallWriter); ok {
		return sw.whole()
	}
	return w
}
