package gateway

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
)

// Bounds of the packets logged with Options.Verbose: ByteArrays longer
// than elideOver bytes at the top of a body (uploads) are logged cut to
// their first elideTo bytes, and a line stops after maxLogLine bytes.
const (
	elideOver  = 4096
	elideTo    = 64
	maxLogLine = 64 << 10
)

// maxLogJSON bounds the typed JSON that logPacket builds of a packet
// before cutting it to maxLogLine. A string sent by reference is
// written out at each use: a request of 1 MB (one string of a megabyte
// and 20,000 references to it) is 20 GB of typed JSON, and serve -v ran
// out of memory building it.
const maxLogJSON = 1 << 20

// logPacket logs a packet as typed JSON.
func (g *Gateway) logPacket(remote, what string, p *amf.Packet) {
	shown, cut := elide(p)
	js, err := convert.AppendPacket(nil, shown, &convert.Options{Typed: true, MaxOutput: maxLogJSON})
	var ol *convert.OutputLimitError
	if errors.As(err, &ol) {
		g.logf("%s %s packet not shown: its typed JSON is over %d bytes (strings sent by reference are written out at each use)", remote, what, maxLogJSON)
		return
	}
	if err != nil {
		g.logf("%s %s packet cannot be shown as JSON: %s", remote, what, oneLine(err.Error(), 300))
		return
	}
	note := ""
	if cut {
		note = " (ByteArrays over 4096 bytes cut to their first 64)"
	}
	if len(js) > maxLogLine {
		more := len(js) - maxLogLine
		js = append(js[:maxLogLine], "... ("...)
		js = append(js, itoa(int64(more))...)
		js = append(js, " more bytes)"...)
	}
	g.logf("%s %s packet%s: %s", remote, what, note, js)
}

// elide returns a shallow copy of p for the log: large ByteArray
// arguments (and results) are cut short, so that logging an upload does
// not copy it as base64, and the password of a Credentials header is
// masked.
func elide(p *amf.Packet) (*amf.Packet, bool) {
	cut := false
	short := func(v any) (any, bool) {
		w, wrapped := v.(amf.AVMPlus)
		if wrapped {
			v = w.Value
		}
		b, ok := v.(*amf.ByteArray)
		if !ok || len(b.Data) <= elideOver {
			return nil, false
		}
		cut = true
		v = &amf.ByteArray{Data: b.Data[:elideTo]}
		if wrapped {
			return amf.AVMPlus{Value: v}, true
		}
		return v, true
	}
	q := *p
	q.Headers = make([]amf.Header, len(p.Headers))
	for i, h := range p.Headers {
		if h.Name == "Credentials" {
			if c := credentialsFrom(h.Value); c != nil {
				h.Value = &amf.Object{Members: []amf.Member{{Name: "userid", Value: c.user}, {Name: "password", Value: "***"}}}
			}
		}
		q.Headers[i] = h
	}
	q.Messages = make([]amf.Message, len(p.Messages))
	for i, m := range p.Messages {
		if a, ok := amf.Unwrap(m.Value).(*amf.Array); ok {
			var dense []any
			for j, x := range a.Dense {
				if y, changed := short(x); changed {
					if dense == nil {
						dense = append([]any(nil), a.Dense...)
					}
					dense[j] = y
				}
			}
			if dense != nil {
				m.Value = &amf.Array{Dense: dense, Assoc: a.Assoc}
			}
		} else if y, changed := short(m.Value); changed {
			m.Value = y
		}
		q.Messages[i] = m
	}
	return &q, cut
}

// esc makes a string safe to write to the log: safetext.Escape.
func esc(s string, max int) string { return safetext.Escape(s, max) }

// lineBatch gathers log lines while Serve runs and writes them in
// batches: at most logDelay after the first line of a batch, or once a
// batch holds logBatch bytes. Under load this turns a write per call
// into a write per batch; an idle gateway's lines still show at once (to
// the eye).
type lineBatch struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
}

const (
	logDelay = 20 * time.Millisecond
	logBatch = 32 << 10
)

func (b *lineBatch) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, line...)
	if len(b.buf) >= logBatch {
		b.flushLocked()
		return
	}
	if b.timer == nil {
		b.timer = time.AfterFunc(logDelay, b.flush)
	}
}

func (b *lineBatch) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushLocked()
}

func (b *lineBatch) flushLocked() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.buf) > 0 {
		b.w.Write(b.buf)
		b.buf = b.buf[:0]
	}
	if cap(b.buf) > 4*logBatch {
		b.buf = nil
	}
}
