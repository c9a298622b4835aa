package gateway

import (
	"github.com/amfcall/amfcall/amf"
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

// logPacket logs a packet as typed JSON.
func (g *Gateway) logPacket(remote, what string, p *amf.Packet) {
	shown, cut := elide(p)
	js, err := convert.AppendPacket(nil, shown, &convert.Options{Typed: true})
	if err != nil {
		g.logf("%s %s packet cannot be shown as JSON: %v", remote, what, err)
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
