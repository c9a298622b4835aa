package gateway

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// Remoting debug events. A client asks for them with the packet header
// amf_server_debug (Flash Remoting's NetConnection Debugger sent an
// object of booleans: amf, amfheaders, coldfusion, error, httpheaders,
// recordset, trace); the gateway then adds to each call's answer a body
// /N/onDebugEvents whose value is an array of event objects. Each event
// has, as Flash Remoting's did, an EventType, a Source ("Server") and a
// Time; the gateway sends two kinds:
//
//	{EventType: "trace", Source: "Server", Time: Date, Target: "echo.echo",
//	 ResponseURI: "/1", Outcome: "onResult", Duration: 0.42}
//	    the call's timing: Duration in milliseconds, from the request's
//	    arrival (a batch: from the call's start) to its answer
//	{EventType: "log", Source: "Server", Time: Date, Level: "info",
//	 Message: "127.0.0.1:5678 echo.echo /1 -> onResult 0.42ms"}
//	    each line the gateway logged for the call ("error" for a fault)
//
// The header's value is not read: whatever it asks, these two are sent
// (as the OSFlash notes on debug information recommend for traces), and
// nothing else (no HTTP or AMF headers are echoed back).

// DebugHeader is the packet header that asks for debug events.
const DebugHeader = "amf_server_debug"

// debugCallCost is what the memory budget is charged, per call, for the
// debug events of a request that asks for them: their records, values
// and encoded bytes take about 1.5 KB a call.
const debugCallCost = 2 << 10

// debugRecord is what was logged for one call, kept for its events.
type debugRecord struct {
	response string // "/1"
	target   string
	outcome  string // "onResult" or "onStatus"
	line     string // the log line, without its time
	at       time.Time
	took     time.Duration
}

// debugLog collects the records of one request's calls.
type debugLog struct {
	mu   sync.Mutex
	recs []debugRecord
}

type debugKey struct{}

// withDebug returns r carrying a fresh debug log.
func withDebug(r *http.Request) (*http.Request, *debugLog) {
	d := &debugLog{}
	return r.WithContext(context.WithValue(r.Context(), debugKey{}, d)), d
}

// recordDebug keeps a logged call for its debug events, when the
// request asked for them.
func recordDebug(r *http.Request, rec func() debugRecord) {
	d, _ := r.Context().Value(debugKey{}).(*debugLog)
	if d == nil {
		return
	}
	d.mu.Lock()
	d.recs = append(d.recs, rec())
	d.mu.Unlock()
}

// debugBodies returns one /N/onDebugEvents body per call recorded.
func (d *debugLog) debugBodies(version uint16) []amf.Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []amf.Message
	for _, rec := range d.recs {
		level := "info"
		if rec.outcome == "onStatus" {
			level = "error"
		}
		events := &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{
				{Name: "EventType", Value: "trace"},
				{Name: "Source", Value: "Server"},
				{Name: "Time", Value: &amf.Date{Ms: float64(rec.at.UnixMilli())}},
				{Name: "Target", Value: rec.target},
				{Name: "ResponseURI", Value: rec.response},
				{Name: "Outcome", Value: rec.outcome},
				{Name: "Duration", Value: float64(rec.took.Microseconds()) / 1000},
			}},
			&amf.Object{Members: []amf.Member{
				{Name: "EventType", Value: "log"},
				{Name: "Source", Value: "Server"},
				{Name: "Time", Value: &amf.Date{Ms: float64(rec.at.UnixMilli())}},
				{Name: "Level", Value: level},
				{Name: "Message", Value: rec.line},
			}},
		}}
		var v any = events
		if version == 3 {
			v = amf.AVMPlus{Value: v}
		}
		out = append(out, amf.Message{Target: rec.response + "/onDebugEvents", Response: "null", Value: v})
	}
	return out
}

// wantsDebug reports whether a request packet asks for debug events.
func wantsDebug(req *amf.Packet) bool {
	for _, h := range req.Headers {
		if h.Name == DebugHeader {
			return true
		}
	}
	return false
}
