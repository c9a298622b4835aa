package gateway

import (
	"net/http"
	"strconv"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// An echo.echo call alone in its packet is answered with the bytes of
// its argument as they came, without decoding them into values and
// encoding them again: a reply of a few bytes of framing written ahead
// of a slice of the request's body. An echo of a 1 MiB ByteArray
// allocated 3.2 bytes per byte echoed (the body, the decoded value, the
// reply), 1.1 so (BenchmarkServeEcho1MB), and the request gives back
// the memory budget it was charged beyond its body while its reply is
// written.
//
// The argument's bytes are its reply's only when they stand alone: the
// packet has no headers (Credentials, debug events, must-understand:
// the usual path answers those) and the message one argument holding
// no AMF0 reference (numbered with the argument array) and no AMF3
// reference reaching across 0x11 switches; in a version 3 packet the
// argument must be an AMF3 value behind its switch (an AMF0 one is
// answered in AMF3, encoded again). The bytes were read by ScanPacket
// with the decoder's limits. Anything else takes the usual path.

// loneEcho reports whether the body that head begins (its first bytes,
// or all of it) is a packet of no headers and one message to echo.echo:
// then echoRaw will most likely answer it, and the body is charged as
// echoRaw needs (echoCost). Other bodies are not given to echoRaw,
// whose check reads the whole body. amf0 reports that the argument is not an
// AMF3 value behind its switch, so that the pass that checks it keeps a
// table of its AMF0 objects (see refs0Cost).
func (g *Gateway) loneEcho(head []byte) (echo, amf0 bool) {
	if g.opt.Verbose {
		return false, false // echoRaw declines
	}
	rd, put := g.costReader(head)
	defer put()
	ver, hc, err := rd.ReadPacketStart()
	if err != nil || ver > 3 || ver == 2 || hc != 0 {
		return false, false
	}
	if mc, err := rd.ReadMessagesStart(); err != nil || mc != 1 {
		return false, false
	}
	target, _, _, err := rd.ReadMessageStart()
	if err != nil || target != "echo.echo" {
		return false, false
	}
	// The argument array of one item, then the argument's first token:
	// an AMF0 value's may not be whole in head (a long string), which
	// is as good as any AMF0 value here. echoRaw declines an AMF0
	// argument in a version 3 packet (it is answered in AMF3).
	if t, err := rd.NextToken(); err != nil || t.Kind != amf.KindArray || t.Version != amf.AMF0 || t.Count != 1 || t.Assoc {
		return false, false
	}
	if t, err := rd.NextToken(); err == nil && t.Kind == amf.KindSwitch {
		return true, false
	}
	return ver != 3, true
}

// echoRaw answers req (the body data) when it is such an echo, and
// reports whether it did.
func (g *Gateway) echoRaw(w http.ResponseWriter, r *http.Request, data []byte, start time.Time) bool {
	if g.opt.Verbose {
		return false // the log shows the values
	}
	if tablesHook != nil {
		tablesHook(reservationOf(r).held())
	}
	p, _, parts, ok := g.dec.ScanPacket(data)
	if !ok || len(p.Headers) != 0 || len(p.Messages) != 1 {
		return false
	}
	m, part := &p.Messages[0], &parts[0]
	if m.Target != "echo.echo" || part.Refs0 || m.CrossEscapeRefs || part.Switches > 1 {
		return false
	}
	ver := replyVersion(p)
	value := data[part.Start:part.End]
	rd, put := g.costReader(value)
	defer put()
	t, err := rd.NextToken()
	if err != nil || t.Kind != amf.KindArray || t.Version != amf.AMF0 || t.Count != 1 || t.Assoc {
		return false
	}
	// The argument is the rest of the value: ScanPacket read it whole,
	// one strict array of one item.
	arg := value[rd.InputOffset():]
	if t, err = rd.NextToken(); err != nil || (ver == 3 && t.Kind != amf.KindSwitch) {
		return false
	}

	pw := replyWriters.Get().(*amf.Writer)
	defer func() {
		pw.ResetAppend(nil)
		replyWriters.Put(pw)
	}()
	pw.ResetAppend(nil)
	pw.BeginPacket(ver, 0)
	pw.BeginMessages(1)
	// The value follows as it came: its length is written ahead, and
	// the Writer's part is left open.
	pw.BeginMessageLength(m.Response+"/onResult", "null", uint32(len(arg)), false)
	b, err := pw.Bytes()
	if err != nil {
		return false
	}
	// Charged for the scan (echoCost), or three times its body when it
	// was not known to be an echo, it holds its body alone.
	reservationOf(r).shrink(requestBase + int64(len(data)))
	h := w.Header()
	h.Set("Content-Type", "application/x-amf")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)+len(arg)))
	w.WriteHeader(http.StatusOK)
	out := wholeWriter(w)
	if _, err := out.Write(b); err == nil {
		out.Write(arg)
	}
	g.logCall(r, &replyExtras{}, m.Target, m.Response, "onResult", "", start)
	return true
}
