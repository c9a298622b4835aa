package convert

import (
	"io"

	"github.com/amfcall/amfcall/amf"
)

// WritePacket is [AppendPacket] writing to out as it goes, as
// [WriteValue] writes a value: the JSON is passed on in pieces of about
// valueFlush bytes, so memory grows with the packet's values, not with
// its output (a reply naming one large string many times). The bytes,
// and the warnings, are those of AppendPacket with a newline added.
// Past Options.MaxOutput it fails with an [OutputLimitError] (or a
// [TypedOutputLimitError]) once exactly MaxOutput bytes are written; an
// error of out is returned as it is.
func WritePacket(out io.Writer, p *amf.Packet, o *Options) error {
	return writeStreamed(out, o, func(w *writer) error { return w.packet(p) })
}
