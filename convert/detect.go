package convert

// Input detection and the file containers that carry AMF (FLV). This file
// is pure: it never prints and knows nothing of the command line.

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/readbuf"
	"github.com/tidwall/gjson"
)

// Kind is what an input holds, as [Detect] guesses it.
type Kind uint8

const (
	// KindEmpty is an input with nothing but white space in it.
	KindEmpty Kind = iota
	// KindJSON is JSON text: one document, or several one after another.
	KindJSON
	// KindPacket is an AMF remoting packet (an application/x-amf body).
	KindPacket
	// KindSOL is a Flash local shared object (.sol file).
	KindSOL
	// KindFLV is an FLV video file, whose script tags carry AMF0.
	KindFLV
	// KindValue is one bare AMF value or several in a row. Which version
	// cannot be told from the bytes; AMF3 is the default.
	KindValue
	// KindHAR is a HAR file (JSON with a top-level log.entries), whose
	// AMF exchanges [ReadHAR] reads.
	KindHAR
	// KindSocket is a capture of AMF Socket frames (see [IsFrames]).
	KindSocket
)

func (k Kind) String() string {
	switch k {
	case KindEmpty:
		return "empty"
	case KindJSON:
		return "json"
	case KindPacket:
		return "packet"
	case KindSOL:
		return "sol"
	case KindFLV:
		return "flv"
	case KindValue:
		return "value"
	case KindHAR:
		return "har"
	case KindSocket:
		return "socket"
	}
	return "?"
}

// Encoding is the text wrapping around binary input.
type Encoding uint8

const (
	// Raw is no wrapping: the bytes are the data.
	Raw Encoding = iota
	// Hex is hexadecimal text; white space between digits is ignored.
	Hex
	// Base64 is base64 text, standard or URL alphabet, padded or not;
	// white space (line breaks) is ignored.
	Base64
)

func (e Encoding) String() string {
	switch e {
	case Raw:
		return "raw"
	case Hex:
		return "hex"
	case Base64:
		return "base64"
	}
	return "?"
}

// Guess is the result of [Detect].
type Guess struct {
	Kind Kind
	// Encoding is the text wrapping that was removed to get Data.
	Encoding Encoding
	// Data is the input with its text wrapping removed (the input itself
	// when Encoding is Raw).
	Data []byte
	// Packet is the decoded packet when Kind is KindPacket and it decoded.
	Packet *amf.Packet
	// Err is the packet's decoding error when the input looks like a
	// packet (plausible version and counts) but does not decode, and does
	// not decode as bare values either.
	Err error
	// parts, when Packet holds the envelope only (Load's guess): where
	// its values stand (packetdirect.go).
	parts *packetParts
}

// Describe says in a few words what was guessed, for people.
func (g Guess) Describe() string {
	var s string
	switch g.Kind {
	case KindEmpty:
		s = "empty input"
	case KindJSON:
		s = "JSON text"
	case KindPacket:
		if g.Packet != nil {
			s = fmt.Sprintf("AMF packet (version %d, %s, %s)", g.Packet.Version,
				plural(len(g.Packet.Headers), "header"), plural(len(g.Packet.Messages), "message"))
		} else {
			s = "AMF packet (does not decode)"
		}
	case KindSOL:
		s = "local shared object (.sol)"
	case KindFLV:
		s = "FLV file"
	case KindValue:
		s = "bare AMF value(s)"
	case KindHAR:
		s = "HAR file"
	case KindSocket:
		s = "AMF Socket frames"
	}
	switch g.Encoding {
	case Hex:
		s += ", hex-encoded"
	case Base64:
		s += ", base64-encoded"
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// Detect guesses what data holds from its first bytes, in this order:
//
//   - a .sol file: 00 BF, a length, then "TCSO";
//   - an FLV file: "FLV" and version 1;
//   - an AMF packet: a big-endian version 0, 1 or 3 and a body that
//     decodes with [amf.UnmarshalPacket] (the packet is kept in
//     [Guess.Packet] so it need not be decoded twice);
//   - AMF Socket frames: lengths and AMF3 values that fill the input
//     exactly ([IsFrames]), or frames cut short that are no packet cut
//     short ([amf.CutShortFrames]), or whose first length is longer
//     than its object, which frames follow ([amf.LongFirstFrame]), or
//     of which one has a length too long or too short for its value,
//     after which frames follow or the input ends ([amf.WrongFrameLength]);
//   - hex text (only hex digits and white space, an even number of
//     digits) or base64 text of any of these: the text is decoded and the
//     result detected again (one level only);
//   - JSON text: after white space (and a UTF-8 byte order mark), one of
//     { [ " - 0-9 t f n;
//   - a packet that does not decode but whose version and counts are
//     plausible, and that is not a stream of bare values either; or a
//     packet cut short, which reads as one up to its last byte;
//   - otherwise bare AMF values.
//
// Text that is valid JSON and also valid hex or base64 (the number 1234,
// the word "true") is JSON.
func Detect(data []byte) Guess {
	return detect(data, true, false)
}

// detect is Detect; scan reads a packet's envelope only, its values with
// the token Reader (scanPacket), as Load wants it.
func detect(data []byte, unwrap, scan bool) Guess {
	g := Guess{Data: data}
	if amf.IsSOL(data) {
		g.Kind = KindSOL
		return g
	}
	if isFLV(data) {
		g.Kind = KindFLV
		return g
	}
	if packetVersion(data) {
		var err error
		if scan {
			if p, parts := scanPacket(data, false); p != nil {
				g.Kind, g.Packet, g.parts = KindPacket, p, parts
				return g
			}
			err = packetError(data, false)
		}
		if err == nil {
			var p *amf.Packet
			if p, err = amf.UnmarshalPacket(data); err == nil {
				g.Kind, g.Packet = KindPacket, p
				return g
			}
		}
		g.Err = err
		if recountDecodes(data) {
			// A packet that reads whole once a count the gateway wrote
			// wrong is read as its bytes say (Load does so, with a
			// warning): a packet, not bare AMF3 failing at the count's
			// 0xff (00 00 00 00 ff ff, then one body).
			g.Kind = KindPacket
			return g
		}
	}
	if IsFrames(data) || amf.CutShortFrames(data) {
		// (Frames cut short whose first value is no object, and that
		// are no packet cut short, are frames too.)
		g.Kind, g.Err = KindSocket, nil
		return g
	}
	if oversizeFirstFrame(data) {
		// A frame whose length is over the limit, then its object and
		// the end of the input or more frames: AMF Socket frames whose
		// first length is wrong, which reading them as such names (with
		// the limit), not bare values failing somewhere inside.
		g.Kind, g.Err = KindSocket, nil
		return g
	}
	if e := amf.LongFirstFrame(data); e != nil && e.Frames && !decodesAll(data, amf.AMF3) && !decodesAll(data, amf.AMF0) {
		// A frame whose length is longer than its object, which frames
		// follow: AMF Socket frames whose first length is wrong (00 00
		// 00 8e 0a ...), not a packet of 142 headers cut short.
		g.Kind, g.Err = KindSocket, nil
		return g
	}
	if len(data) >= 5 && amf.StartsObject(data[4:]) && wrongFrameLength(data) &&
		!decodesAll(data, amf.AMF3) && !decodesAll(data, amf.AMF0) {
		// Frames, the first an object, one of which has a wrong length
		// (frame 3's too long takes frame 4's length; frame 1's too
		// short cuts its object, 00 00 00 0a 0a 0b ...): AMF Socket
		// frames, whose reading names that frame, not a packet of 10
		// headers cut short.
		g.Kind, g.Err = KindSocket, nil
		return g
	}
	if badLaterFrame(data) {
		// Whole frames, the first an object, then a frame whose length
		// is 0 or over the limit: AMF Socket frames, whose reading names
		// that frame, not a packet of 8 headers "cut short" (00 00 00
		// 08 0a 0b ...).
		g.Kind, g.Err = KindSocket, nil
		return g
	}
	if amf.LooksLikeSOL(data) {
		// 00 BF, a length and "TCSO", but not the rest of the header (a
		// tool that wrote 00 04 00 00 and then the name): a damaged
		// .sol, whose error says where, not bare values failing at 0xBF.
		g.Kind, g.Err = KindSOL, nil
		return g
	}
	text := trimText(data)
	if len(text) == 0 {
		// Nothing but white space, unless those bytes are AMF (0x0D is
		// AMF0 "unsupported").
		g.Kind, g.Err = KindEmpty, nil
		if len(data) > 0 && (decodesAll(data, amf.AMF3) || decodesAll(data, amf.AMF0)) {
			g.Kind = KindValue
		}
		return g
	}
	if binaryBytes(text) {
		// Text never holds control characters: this is AMF.
		if brokenPacket(&g, data) {
			g.Kind = KindPacket
			return g
		}
		g.Kind, g.Err = KindValue, nil
		return g
	}
	jsonish := isJSONStart(text[0])
	if unwrap {
		// "\x0a\x0b", "0x0a, 0x0b", "0a:0b" (hexforms.go).
		if h := hexForm(text); h != nil {
			if dec, err := DecodeHex(h); err == nil {
				inner := detect(dec, false, scan)
				inner.Encoding = Hex
				return inner
			}
		}
	}
	if unwrap && isHexText(text) && !(jsonish && jsonTokens(text)) {
		if dec, err := DecodeHex(text); err == nil {
			inner := detect(dec, false, scan)
			inner.Encoding = Hex
			return inner
		}
	}
	if unwrap && isBase64Text(text) && !(jsonish && jsonTokens(text)) {
		if dec, err := DecodeBase64(text); err == nil {
			inner := detect(dec, false, scan)
			switch {
			case inner.Kind == KindPacket || inner.Kind == KindSOL || inner.Kind == KindFLV || inner.Kind == KindSocket,
				inner.Kind == KindValue && (decodesAll(dec, amf.AMF3) || decodesAll(dec, amf.AMF0)),
				// Words ("hello world") are not base64 text that
				// fails to decode: base64 breaks lines, never words.
				!jsonish && !blankInLine(text):
				inner.Encoding = Base64
				return inner
			}
		}
	}
	if jsonish {
		g.Kind, g.Err = KindJSON, nil
		if IsHAR(text) {
			g.Kind = KindHAR
		}
		return g
	}
	if brokenPacket(&g, data) {
		g.Kind = KindPacket
		return g
	}
	g.Kind, g.Err = KindValue, nil
	return g
}

// recountDecodes reports whether data, a packet that does not decode,
// decodes whole with its wrong count (or both) read as its bytes say
// (amf.DecMode.CountFixOf).
func recountDecodes(data []byte) bool {
	fix := amf.CountFixOf(data)
	if fix == nil {
		return false
	}
	m, err := amf.DecOptions{}.DecMode()
	return err == nil && m.WithCount(fix).PacketDecodes(data)
}

// oversizeFirstFrame reports whether data starts as an AMF Socket frame
// whose length is over amf.DefaultMaxFrame (so that IsFrames and
// amf.CutShortFrames say no): the length, then one AMF3 object that reads
// whole and is followed by the end of the input or by frames (whole, or
// cut short), and the bytes are no bare AMF3 or AMF0 values.
func oversizeFirstFrame(data []byte) bool {
	if len(data) < 5 || binary.BigEndian.Uint32(data) <= amf.DefaultMaxFrame || !amf.StartsObject(data[4:]) {
		return false
	}
	r := amf.NewReader(data[4:], amf.AMF3)
	if r.Skip() != nil {
		return false
	}
	rest := data[4+int(r.InputOffset()):]
	if len(rest) > 0 && !IsFrames(rest) && !amf.CutShortFrames(rest) {
		return false
	}
	return !decodesAll(data, amf.AMF3) && !decodesAll(data, amf.AMF0)
}

// Implausible says why values decoded from bytes nobody said were AMF0
// are not believable as such, or "" when they are: AMF0 reads almost any
// bytes that start with 0x00 as a number, so a lone number that is
// below 1e-100 or above 1e100 in size (the bytes of text, "00 03 garbage") is
// rejected rather than printed as 2.9e-292.
func Implausible(vs []any) string {
	if len(vs) != 1 {
		return ""
	}
	x, ok := vs[0].(float64)
	if !ok || x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return ""
	}
	if a := math.Abs(x); a < 1e-100 || a > 1e100 {
		return fmt.Sprintf("they read as the lone number %g, which is not believable", x)
	}
	return ""
}

func isFLV(b []byte) bool {
	// Version 1, or another whose header is 9 bytes as version 1's is:
	// an FLV file, for readFLVData to name its version.
	return len(b) >= 9 && string(b[:3]) == "FLV" && (b[3] == 1 || binary.BigEndian.Uint32(b[5:9]) == 9)
}

// packetVersion reports whether b starts like a packet: at least the six
// bytes of version and counts, and a version of 0, 1 or 3.
func packetVersion(b []byte) bool {
	if len(b) < 6 {
		return false
	}
	v := binary.BigEndian.Uint16(b)
	return v == 0 || v == 1 || v == 3
}

// brokenPacket reports whether data, which failed to decode as a packet,
// still looks like one and is not bare values either: then the packet's
// decoding error is the one to report. A packet cut short (it reads as
// one up to its last byte and needs more there: a capture or download
// that stopped, see amf.PacketCutShort) is one even when its counts
// claim more than is left, or what is left reads as bare values: those
// would start with AMF3 undefined, or an AMF0 number whose exponent
// bits are zero (a subnormal), which no one sends. Bytes cut short that
// read as AMF Socket frames cut short too get both readings as their
// error (an *amf.CutShortReadingsError), as a dump of them says both.
func brokenPacket(g *Guess, data []byte) bool {
	if g.Err == nil {
		return false
	}
	if err := amf.PacketCutShort(data); err != nil {
		var both *amf.CutShortReadingsError
		if errors.As(err, &both) {
			g.Err = err
		}
		return true
	}
	return plausiblePacket(data) && !decodesAll(data, amf.AMF3) && !decodesAll(data, amf.AMF0)
}

// plausiblePacket looks at the version, the header count and the first
// name or target: a packet that merely fails to decode further in (a
// truncated capture, a bad value) still passes, random bytes mostly not.
func plausiblePacket(b []byte) bool {
	if !packetVersion(b) {
		return false
	}
	hc := int(binary.BigEndian.Uint16(b[2:]))
	off := 4
	if hc == 0 {
		mc := int(binary.BigEndian.Uint16(b[4:]))
		if mc == 0 || mc*9 > len(b)-6 {
			return false
		}
		off = 6
	} else if hc*8 > len(b)-6 {
		return false
	}
	if off+2 > len(b) {
		return false
	}
	n := int(binary.BigEndian.Uint16(b[off:]))
	name := b[off+2:]
	if n == 0 || n > len(name) {
		return false
	}
	for _, c := range name[:n] {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// decodesAll reports whether b is a sequence of complete bare values.
func decodesAll(b []byte, ver amf.Version) bool {
	// As amf.UnmarshalAll decides it, with the token Reader: building
	// nothing, hostile bytes cost a pass over them and not the value
	// model of a huge value before its error.
	return amf.Valid(b, ver) == nil
}

// trimText removes a UTF-8 byte order mark and JSON white space around b.
func trimText(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	return bytes.Trim(b, " \t\r\n")
}

// jsonTokens reports whether text, made of hex or base64 characters and
// white space (no JSON punctuation), is JSON: a number or a literal per
// white-space-separated token.
func jsonTokens(text []byte) bool {
	for _, tok := range bytes.Fields(text) {
		if !gjson.ValidBytes(tok) {
			return false
		}
	}
	return true
}

// binaryBytes reports whether b holds a control character other than
// tab, line feed and carriage return: JSON, hex and base64 text do not.
func binaryBytes(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		// Eight bytes at a time while none is below 0x20 (a borrow only
		// runs up from such a byte, so none is missed).
		if x := binary.LittleEndian.Uint64(b[i:]); (x-lsb*0x20)&^x&msb == 0 {
			continue
		}
		if controlBytes(b[i : i+8]) {
			return true
		}
	}
	return controlBytes(b[i:])
}

// controlBytes reports whether b holds a control character other than
// the white space of text.
func controlBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

func isJSONStart(c byte) bool {
	switch c {
	case '{', '[', '"', '-', 't', 'f', 'n':
		return true
	}
	return '0' <= c && c <= '9'
}

func isTextSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isHexText(b []byte) bool {
	n := 0
	for _, c := range b {
		if _, ok := hexVal(c); ok {
			n++
		} else if !isTextSpace(c) {
			return false
		}
	}
	return n >= 2 && n%2 == 0
}

// blankInLine reports whether text has a space or a tab between two
// characters of a line.
func blankInLine(text []byte) bool {
	for _, line := range bytes.Split(text, []byte{'\n'}) {
		if bytes.ContainsAny(bytes.TrimSpace(line), " \t") {
			return true
		}
	}
	return false
}

func isBase64Text(b []byte) bool {
	n, pad := 0, 0
	for _, c := range b {
		switch {
		case c == '=':
			pad++
		case isTextSpace(c):
		case pad > 0:
			return false // data after padding
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '+', c == '/', c == '-', c == '_':
			n++
		default:
			return false
		}
	}
	if pad > 2 || n < 4 {
		return false
	}
	if pad > 0 {
		return (n+pad)%4 == 0
	}
	return n%4 != 1
}

// TextError reports hex or base64 text that cannot be decoded. Offset is
// the byte offset of the offending character in the text.
type TextError struct {
	Encoding Encoding
	Offset   int64
	Err      error
}

func (e *TextError) Error() string {
	return fmt.Sprintf("%s: %v at offset %d", e.Encoding, e.Err, e.Offset)
}

func (e *TextError) Unwrap() error { return e.Err }

// DecodeHex decodes hexadecimal text, ignoring white space anywhere.
func DecodeHex(text []byte) ([]byte, error) {
	out := make([]byte, 0, len(text)/2)
	var hi byte
	half := false
	for i, c := range text {
		v, ok := hexVal(c)
		if !ok {
			if isTextSpace(c) {
				continue
			}
			return nil, &TextError{Hex, int64(i), fmt.Errorf("invalid character %q", c)}
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		return nil, &TextError{Hex, int64(len(text)), errors.New("odd number of hex digits")}
	}
	return out, nil
}

// DecodeBase64 decodes base64 text in the standard or the URL alphabet,
// padded or not, ignoring white space anywhere.
func DecodeBase64(text []byte) ([]byte, error) {
	clean := make([]byte, 0, len(text))
	for _, c := range text {
		if !isTextSpace(c) {
			clean = append(clean, c)
		}
	}
	url := bytes.ContainsAny(clean, "-_")
	if url && bytes.ContainsAny(clean, "+/") {
		return nil, &TextError{Base64, textOffset(text, bytes.IndexAny(clean, "-_")), errors.New("mixed standard and URL alphabets")}
	}
	enc := base64.StdEncoding
	if url {
		enc = base64.URLEncoding
	}
	if !bytes.HasSuffix(clean, []byte("=")) {
		enc = enc.WithPadding(base64.NoPadding)
	}
	out := make([]byte, enc.DecodedLen(len(clean)))
	n, err := enc.Decode(out, clean)
	if err != nil {
		off := int64(len(text))
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) < len(clean) {
			off = textOffset(text, int(ce))
		}
		return nil, &TextError{Base64, off, errors.New("invalid base64 text")}
	}
	return out[:n], nil
}

// textOffset maps the index of a non-space character to its offset in text.
func textOffset(text []byte, i int) int64 {
	for off, c := range text {
		if isTextSpace(c) {
			continue
		}
		if i == 0 {
			return int64(off)
		}
		i--
	}
	return int64(len(text))
}

// FLVTag is one script-data tag of an FLV file: a handler name
// ("onMetaData", "onCuePoint") and its AMF0 value. Extra holds any values
// after the first, which some writers add.
type FLVTag struct {
	Index     int   // position of the tag among all tags, from 0
	Offset    int64 // byte offset of the tag header in the file
	Timestamp uint32
	Name      string
	Value     any
	Extra     []any
}

// ReadFLV returns the script-data tags of an FLV file, skipping audio and
// video tags. Each tag's AMF0 data is its own reference context. Errors
// name the byte offset in the file; AMF errors are *amf.SyntaxError with
// the offset made absolute. The file is read with [amf.FLVReader].
func ReadFLV(data []byte) ([]FLVTag, error) { return readFLVData(data, nil) }

// readFLVData is ReadFLV counting the tags it skips in other.
func readFLVData(data []byte, other *flvOther) ([]FLVTag, error) {
	fr := amf.NewFLVReader(data)
	if err := flvHeaderError(fr); err != nil {
		return nil, err
	}
	return readFLV(fr, other)
}

// flvHeaderError is the error of an FLV file's header that convert does
// not read: not "FLV" (a header that fails its signature reads as the
// zero FLVHeader), a version other than 1, or an error reading it.
func flvHeaderError(fr *amf.FLVReader) error {
	h, err := fr.Header()
	switch {
	case err != nil && h == amf.FLVHeader{}:
		return &amf.SyntaxError{Version: "flv", Offset: 0, Err: errors.New(`missing "FLV" signature`)}
	case h.Version != 1:
		// The signature is there: say what is not.
		return &amf.SyntaxError{Version: "flv", Offset: 3, Err: fmt.Errorf("FLV version %d: only version 1 is known (dump shows its bytes)", h.Version)}
	}
	return err
}

// ReadFLVFrom is [ReadFLV] reading the file from r: only the script
// tags' data is held, one tag at a time, so an FLV of any size takes
// memory in proportion to its script data alone.
func ReadFLVFrom(r io.Reader) ([]FLVTag, error) { return readFLVFrom(r, nil) }

func readFLVFrom(r io.Reader, other *flvOther) ([]FLVTag, error) {
	fr := amf.NewFLVStreamReader(r)
	if err := flvHeaderError(fr); err != nil {
		return nil, err
	}
	return readFLV(fr, other)
}

// LoadFLV is [Load] for an FLV file read from r, which is read once, in
// order, and never held: only its script tags are ([ReadFLVFrom]). asked
// says whether the input was given as FLV rather than guessed. It returns
// the source and the number of bytes read; errors are Load's for the same
// bytes.
func LoadFLV(r io.Reader, name string, asked bool) (*Source, int64, error) {
	src := &Source{Name: name, Kind: KindFLV, How: "guessed from the content"}
	if asked {
		src.How = "as asked"
	}
	cr := &readbuf.Counter{R: r}
	var err error
	src.FLV, err = readFLVFrom(cr, &src.flvOther)
	if err != nil {
		return src, cr.N, fmt.Errorf("%s: %w", name, err)
	}
	return src, cr.N, nil
}

// IsFLV reports whether b starts as an FLV file does ("FLV", version 1):
// what [Detect] takes for KindFLV before anything else but a .sol file,
// which cannot start so.
func IsFLV(b []byte) bool { return isFLV(b) }

// flvOther counts the tags of an FLV file that its JSON form does not
// hold (audio, video, encrypted and other tags), by kind, with their
// data's bytes.
type flvOther struct {
	audio, video, other int
	bytes               int64
	// open counts the script tags whose value ran to the end of the
	// tag without its end marker (amf.FLVScript.Unterminated), the
	// first of them openTag.
	open, openTag int
	openName      string
	// cut is the audio, video or other tag the file ended inside, with
	// the bytes of its data there were (see amf.FLVReader.CutShort).
	cut    *amf.FLVTag
	cutGot int64
	// last is the tag read last (a copy; nil before the first): the
	// next tag's PreviousTagSize should be 11 + its data size (0 before
	// the first tag). prevBad counts the tags whose PreviousTagSize is
	// not, the first of them prevTag, with the size it should have said.
	last       *amf.FLVTag
	prevBad    int
	prevTag    *amf.FLVTag
	prevBefore *amf.FLVTag // the tag before prevTag, nil if none
	prevWant   uint32
}

// wantPrev is what the next tag's PreviousTagSize should say: the size
// of the tag before it, header (11 bytes) and data, or 0 for the first.
func (f *flvOther) wantPrev() uint32 {
	if f.last == nil {
		return 0
	}
	return 11 + uint32(f.last.Size)
}

// seen checks the PreviousTagSize of a tag that was read whole and
// makes it the last one. Players skip by the tag's data size and
// ignore the field; a wrong one says nothing is lost, but it is the sign
// of a tag whose data size was wrong (and the next tag read from the
// wrong place) when the file then fails.
func (f *flvOther) seen(t *amf.FLVTag) {
	if f == nil {
		return
	}
	if want := f.wantPrev(); t.PrevSize != want {
		if f.prevBad == 0 {
			c := *t
			f.prevTag, f.prevBefore, f.prevWant = &c, f.last, want
		}
		f.prevBad++
	}
	c := *t
	f.last = &c
}

// prevWarning says which tags' PreviousTagSize was wrong, or "".
func (f *flvOther) prevWarning() string {
	if f.prevBad == 0 {
		return ""
	}
	t := f.prevTag
	which := fmt.Sprintf("tag %d's PreviousTagSize", t.Index)
	if f.prevBad > 1 {
		which = fmt.Sprintf("%d tags' PreviousTagSize is wrong, the first tag %d's:", f.prevBad, t.Index)
	}
	should := "0, as before the first tag"
	if b := f.prevBefore; b != nil {
		should = fmt.Sprintf("the %d bytes tag %d took (11 + its data size %d)", f.prevWant, b.Index, b.Size)
	}
	return fmt.Sprintf("%s %d (at offset %d) is not %s; players ignore it, and an FLV written from the JSON has the right one",
		which, t.PrevSize, t.Offset-4, should)
}

// misframed adds to err, the error of a tag whose data the input ends
// inside, what its PreviousTagSize says when it is not the size of the
// tag before: the data size of that tag is likely wrong, and this "tag"
// was read from inside it or after its end, not cut short.
func (f *flvOther) misframed(fr *amf.FLVReader, err error) error {
	t, _ := fr.CutShort()
	if f == nil || t == nil || f.last == nil || t.PrevSize == f.wantPrev() {
		return err
	}
	return fmt.Errorf("%w; its PreviousTagSize %d (at offset %d) is not the %d bytes tag %d took (11 + its data size %d, at offset %d): that data size is likely wrong, and tag %d was read from the wrong place",
		err, t.PrevSize, t.Offset-4, f.wantPrev(), f.last.Index, f.last.Size, f.last.Offset+1, t.Index)
}

// cutShort says whether a failed Next was a file cut short inside a tag
// that is not script data, and if so notes it: the tags before it are
// kept, with a warning, since nothing of the JSON form is lost but the
// cut tag's data, which the JSON form does not hold anyway.
func (f *flvOther) cutShort(fr *amf.FLVReader) bool {
	if f == nil {
		return false
	}
	t, got := fr.CutShort()
	if t == nil || t.IsScript() {
		return false
	}
	// Audio or video whose PreviousTagSize is right (or whose writer
	// gets it wrong everywhere): a recording that stopped. Another type,
	// or a PreviousTagSize that is not the tag before's, is bytes read
	// as a tag from the wrong place, after a tag whose data size was
	// wrong: an error, not a file cut short.
	if t.Type != amf.FLVTagAudio && t.Type != amf.FLVTagVideo || t.PrevSize != f.wantPrev() && f.prevBad == 0 {
		return false
	}
	c := *t
	f.cut, f.cutGot = &c, got
	return true
}

// cutWarning says where the file ends, or "" when it ended whole.
func (f *flvOther) cutWarning() string {
	if f.cut == nil {
		return ""
	}
	kind := flvKindName(f.cut)
	return fmt.Sprintf("the file ends inside tag %d (%s, %s of data announced, %d there): it was cut short; the script data tags before it are read",
		f.cut.Index, kind, plural(f.cut.Size, "byte"), f.cutGot)
}

// flvKindName names a tag's kind for people.
func flvKindName(t *amf.FLVTag) string {
	switch {
	case t.Encrypted:
		return "encrypted"
	case t.Type == amf.FLVTagAudio:
		return "audio"
	case t.Type == amf.FLVTagVideo:
		return "video"
	}
	return fmt.Sprintf("type %d", t.Type)
}

// script notes what a script tag's reading tolerated.
func (f *flvOther) script(t *amf.FLVTag, s *amf.FLVScript) {
	if f == nil || !s.Unterminated {
		return
	}
	if f.open == 0 {
		f.openTag, f.openName = t.Index, s.Name
	}
	f.open++
}

// openWarning says which script tags were read without their end
// marker, or "" when none: in plain and typed JSON alike.
func (f *flvOther) openWarning() string {
	if f.open == 0 {
		return ""
	}
	which := fmt.Sprintf("tag %d (%q):", f.openTag, f.openName)
	if f.open > 1 {
		which = fmt.Sprintf("%d script tags, the first tag %d (%q):", f.open, f.openTag, f.openName)
	}
	return which + " the value ends with the tag's data, without its end marker 00 00 09; read as if the marker were there (an FLV written from the JSON has it)"
}

func (f *flvOther) add(t *amf.FLVTag) {
	switch {
	case t.Encrypted || t.Type != amf.FLVTagAudio && t.Type != amf.FLVTagVideo:
		f.other++
	case t.Type == amf.FLVTagAudio:
		f.audio++
	default:
		f.video++
	}
	f.bytes += int64(t.Size)
}

// warning says what the JSON form leaves out, or "" when nothing.
func (f *flvOther) warning() string {
	var kinds []string
	for _, k := range []struct {
		n    int
		name string
	}{{f.audio, "audio"}, {f.video, "video"}, {f.other, "other"}} {
		if k.n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", k.n, k.name))
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	n := f.audio + f.video + f.other
	return fmt.Sprintf("the JSON holds the script data tags only, not %s (%s, %s of data): an FLV file written from it has no audio or video",
		plural(n, "other tag"), strings.Join(kinds, ", "), plural(int(min(f.bytes, math.MaxInt)), "byte"))
}

func readFLV(fr *amf.FLVReader, other *flvOther) ([]FLVTag, error) {
	var tags []FLVTag
	var strict flvOther // for the PreviousTagSize, when no one is told of a cut
	for {
		tag, err := fr.Next()
		if err == io.EOF {
			return tags, nil
		}
		if err != nil {
			if other.cutShort(fr) {
				return tags, nil
			}
			if other == nil {
				other = &strict
			}
			return nil, other.misframed(fr, err)
		}
		if other != nil {
			other.seen(tag)
		} else {
			strict.seen(tag)
		}
		if !tag.IsScript() {
			if other != nil {
				other.add(tag)
			}
			continue
		}
		s, err := fr.Script()
		if err != nil {
			return nil, err
		}
		other.script(tag, &s)
		tags = append(tags, FLVTag{Index: tag.Index, Offset: tag.Offset, Timestamp: tag.Timestamp,
			Name: s.Name, Value: s.Value, Extra: s.Extra})
	}
}

// IsFLVJSON reports whether data looks like the JSON form of an FLV
// file's script tags: an object with an "flv" array.
func IsFLVJSON(data []byte) bool {
	res := parseInPlace(data) // not ParseBytes: it copies the text (18 MB for W1 x 100)
	return res.IsObject() && res.Get("flv").IsArray()
}

// FLVFromJSON turns the JSON form of an FLV file's script tags,
// {"flv": [{"timestamp": MS, "name": "onMetaData", "value": ..., "extra":
// [...]}, ...]} (the form convert writes; "tag" is ignored), back into an
// FLV file holding those script tags only (no audio or video), each tag's
// data written as AMF0.
func FLVFromJSON(data []byte) ([]byte, error) {
	return flvFromJSON(data, nil)
}

// flvFromJSON is FLVFromJSON noting the keys given twice in the tags'
// values in dk (if not nil), for the warning.
func flvFromJSON(data []byte, dk *dupKeys) ([]byte, error) {
	v, err := fromJSON(data, dk)
	if err != nil {
		return nil, err
	}
	tagAt, err := flvJSONShape(data)
	if err != nil {
		return nil, err
	}
	bad := func(i int, key string, format string, a ...any) error {
		path := "/flv/" + strconv.Itoa(i)
		if key != "" {
			path += "/" + key
		}
		off := tagAt[i].at
		if m, ok := tagAt[i].member[key]; ok {
			off = m
		}
		return locate(&Error{Offset: off, Path: path, Err: fmt.Errorf(format, a...)}, data)
	}
	list, _ := v.(*amf.Object).Get("flv")
	tags := list.(*amf.Array)
	// Header: signature, version 1, no audio or video, header size 9,
	// then PreviousTagSize0.
	out := []byte{'F', 'L', 'V', 1, 0, 0, 0, 0, 9, 0, 0, 0, 0}
	for i, it := range tags.Dense {
		t, ok := it.(*amf.Object)
		if !ok {
			return nil, bad(i, "", "flv tag %d is not an object", i)
		}
		var name string
		var ts uint32
		var value any
		var extra []any
		for _, m := range t.Members {
			switch m.Name {
			case "tag":
			case "name":
				if name, ok = m.Value.(string); !ok {
					return nil, bad(i, "name", "flv tag %d: name must be a string", i)
				}
			case "timestamp":
				var f float64
				switch n := m.Value.(type) {
				case amf.Int:
					f = float64(n)
				case float64:
					f = n
				default:
					return nil, bad(i, "timestamp", "flv tag %d: timestamp must be a number", i)
				}
				if f < 0 || f > math.MaxUint32 || f != math.Trunc(f) {
					return nil, bad(i, "timestamp", "flv tag %d: timestamp %v is not a 32-bit count of milliseconds", i, f)
				}
				ts = uint32(f)
			case "value":
				value = m.Value
			case "extra":
				a, ok := m.Value.(*amf.Array)
				if !ok {
					return nil, bad(i, "extra", "flv tag %d: extra must be an array", i)
				}
				extra = a.Dense
			}
		}
		if name == "" {
			return nil, bad(i, "", "flv tag %d: a script tag needs a name (onMetaData, onCuePoint...)", i)
		}
		var body []byte
		for j, x := range append([]any{name, value}, extra...) {
			b, err := amf.Marshal(x, amf.AMF0)
			if err != nil {
				at := []string{"flv", strconv.Itoa(i), "name"}
				if j == 1 {
					at[2] = "value"
				} else if j > 1 {
					at = append(at[:2], "extra", strconv.Itoa(j-2))
				}
				return nil, fmt.Errorf("flv tag %d: %w", i, encodeAt(err, data, 0, at...))
			}
			body = append(body, b...)
		}
		if len(body) > 0xFFFFFF {
			return nil, bad(i, "", "flv tag %d: %d bytes of data; a tag holds at most %d", i, len(body), 0xFFFFFF)
		}
		n := len(body)
		out = append(out, 18, byte(n>>16), byte(n>>8), byte(n),
			byte(ts>>16), byte(ts>>8), byte(ts), byte(ts>>24), 0, 0, 0)
		out = append(out, body...)
		out = binary.BigEndian.AppendUint32(out, uint32(11+n))
	}
	return out, nil
}

// flvTagAt is where a tag of an FLV file's JSON form is in the text, and
// its members' values.
type flvTagAt struct {
	at     int64
	member map[string]int64
}

// flvJSONShape checks the members of the JSON form of an FLV file's
// script tags, data (valid JSON), and returns where each tag's object
// and its members' values are: a member given twice is refused, as in a packet or a .sol
// ("flv" took the first, a tag's members the last, unsaid), and so is
// one FLVFromJSON does not know (dropped unsaid at the top). Errors give
// their place in the text.
func flvJSONShape(data []byte) ([]flvTagAt, error) {
	errAt := func(r gjson.Result, path, format string, a ...any) error {
		return locate(&Error{Offset: int64(r.Index), Path: path, Err: fmt.Errorf(format, a...)}, data)
	}
	root := parseInPlace(data)
	if !root.IsObject() {
		return nil, errAt(root, "", `an FLV file's JSON form is an object {"flv": [...]}`)
	}
	var (
		list gjson.Result
		err  error
	)
	root.ForEach(func(k, v gjson.Result) bool {
		switch {
		case k.Str != "flv":
			err = errAt(v, "/"+escapePointer(k.Str), "unexpected member %q in an FLV file's JSON form (want flv)", k.Str)
		case list.Exists():
			err = errAt(v, "/flv", `"flv" is given twice in an FLV file's JSON form`)
		default:
			list = v
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if !list.IsArray() {
		at := root
		if list.Exists() {
			at = list
		}
		return nil, errAt(at, "/flv", `an FLV file's JSON form has an array "flv" of script tags`)
	}
	var tagAt []flvTagAt
	list.ForEach(func(_, t gjson.Result) bool {
		i := len(tagAt)
		tagAt = append(tagAt, flvTagAt{at: int64(t.Index), member: map[string]int64{}})
		path := "/flv/" + strconv.Itoa(i)
		if !t.IsObject() {
			err = errAt(t, path, "flv tag %d is not an object", i)
			return false
		}
		var keys []string
		t.ForEach(func(k, v gjson.Result) bool {
			switch k.Str {
			case "tag", "timestamp", "name", "value", "extra":
			default:
				err = errAt(v, path+"/"+escapePointer(k.Str), "flv tag %d: unknown key %q (want timestamp, name, value, extra)", i, k.Str)
				return false
			}
			if slices.Contains(keys, k.Str) {
				err = errAt(v, path+"/"+k.Str, "%q is given twice in flv tag %d", k.Str, i)
				return false
			}
			keys = append(keys, k.Str)
			tagAt[i].member[k.Str] = int64(v.Index)
			return true
		})
		return err == nil
	})
	return tagAt, err
}

// maxChunkSizeDigits bounds a chunk size line's hex digits after any
// leading zeros: 15 of them are more than any input amfcall reads (and
// cannot overflow an int64).
const maxChunkSizeDigits = 15

// ChunkError is an HTTP body sent in chunks (Transfer-Encoding: chunked)
// whose chunks do not read: Chunk counts from 1, Offset is the input
// offset of its size line (or of the fault in it).
type ChunkError struct {
	Chunk  int
	Offset int64
	Msg    string
}

func (e *ChunkError) Error() string {
	return fmt.Sprintf("HTTP body in chunks (Transfer-Encoding: chunked): chunk %d at offset %d: %s", e.Chunk, e.Offset, e.Msg)
}

// badLaterFrame reports whether data is whole AMF Socket frames, the
// first an object, up to a frame whose length is 0 or over
// amf.DefaultMaxFrame, which no sender writes (IsFrames says no to
// them, and amf.WrongFrameLength looks for a length that a value read
// contradicts), and the bytes are no bare AMF3 or AMF0 values.
func badLaterFrame(data []byte) bool {
	if len(data) < 5 || !amf.StartsObject(data[4:]) {
		return false
	}
	b := data
	for {
		_, rest, ok := amf.NextFrame(b)
		if !ok {
			break
		}
		b = rest
	}
	if len(b) < 4 || len(b) == len(data) {
		return false
	}
	if size := binary.BigEndian.Uint32(b); size != 0 && size <= amf.DefaultMaxFrame {
		return false
	}
	return IsFrames(data[:len(data)-len(b)]) && !decodesAll(data, amf.AMF3) && !decodesAll(data, amf.AMF0)
}

// wrongFrameLength reports whether data, read as AMF Socket frames, has
// a frame whose length is wrong, after which frames follow, or that is
// not the first, or is too short ([amf.WrongFrameLength]): the first
// frame's length too long with only the input's end after its value is
// no more likely than other bytes.
func wrongFrameLength(data []byte) bool {
	e := amf.WrongFrameLength(data)
	return e != nil && (e.Frames || e.Frame > 1 || e.Value > e.Length)
}

// frameLengthError is the error of AMF Socket frames (data) one of
// which has a wrong length ([amf.WrongFrameLength]), told before any is
// converted (so that no warning of "bytes after its value", nor frames
// before it, come first), or nil. Frames whose lengths lead from one to
// the next to the input's end exactly are not read for it: their
// reading says what is wrong, if anything.
func frameLengthError(data []byte) *amf.FrameLengthError {
	for b := data; len(b) > 0; {
		_, rest, ok := amf.NextFrame(b)
		if !ok {
			return amf.WrongFrameLength(data)
		}
		b = rest
	}
	return nil
}

// maxChunkLine bounds a chunk size line (the size, its extensions and
// the line end), as Go's own chunked reader does: no sender writes
// more, so a longer line is damage, not a size.
const maxChunkLine = 4096

// DechunkHTTP undoes the chunked transfer coding of a whole HTTP message
// saved as it was sent (curl -i --raw, nc, a proxy's "save response"):
// when data starts with an HTTP head (httpHead) that says
// Transfer-Encoding: chunked, it returns the head followed by the body's
// chunks joined, with their size lines, the CRLFs after them, the last
// chunk and any trailer fields left out; ok is then true. The result is
// never longer than data, which is left as it is ([DechunkHTTPInPlace]
// writes it there instead). Otherwise it returns data and false. A size
// line that is no hex number or longer than 4 KiB, a chunk longer than
// the bytes left or one not followed by its line end is a *ChunkError
// naming the chunk and its offset; input that ends between two chunks
// (before the last, empty chunk) is taken as the body so far, whose
// reading then says it was cut.
func DechunkHTTP(data []byte) (out []byte, ok bool, err error) {
	n := chunkedHeadEnd(data)
	if n == 0 {
		return data, false, nil
	}
	out = make([]byte, n, len(data))
	copy(out, data[:n])
	if err := eachChunk(data, n, func(p []byte) { out = append(out, p...) }); err != nil {
		return nil, true, err
	}
	return out, true, nil
}

// DechunkHTTPInPlace is [DechunkHTTP] writing the de-chunked message over
// data, which it returns shortened: no copy of a 100 MB reply is made.
// data is changed only when the whole body de-chunks: on an error it is
// left as it was.
func DechunkHTTPInPlace(data []byte) (out []byte, ok bool, err error) {
	n := chunkedHeadEnd(data)
	if n == 0 {
		return data, false, nil
	}
	if err := eachChunk(data, n, nil); err != nil {
		return nil, true, err // (checked first: data is not changed)
	}
	w := n
	// Each chunk moves down over its size line and those before it: it
	// lands before its own end, past every size line read so far.
	_ = eachChunk(data, n, func(p []byte) { w += copy(data[w:], p) })
	return data[:w], true, nil
}

// ChunkedHTTP reports whether data is a whole HTTP message whose body
// comes in chunks, which [Load] de-chunks in place (its caller then
// holds data as Load left it: dump gives back no page of its mapping).
func ChunkedHTTP(data []byte) bool { return chunkedHeadEnd(data) > 0 }

// chunkedHeadEnd is the length of data's HTTP head when it says the body
// comes in chunks, after any interim (1xx) heads; 0 otherwise.
func chunkedHeadEnd(data []byte) int {
	n := httpHead(data)
	for n > 0 && interimHead(data[:n]) {
		// HTTP/1.1 100 Continue (curl -i shows it, before the reply's
		// head, when the request said Expect: 100-continue): the head
		// that says how the body is sent is the next one.
		m := httpHead(data[n:])
		if m == 0 {
			break
		}
		n += m
	}
	if n == 0 || !chunkedHead(data[:n]) {
		return 0
	}
	return n
}

// eachChunk reads the chunks of the body that starts at data[off:] and
// gives each chunk's bytes to body (when not nil), in order, up to the
// last chunk or the input's end; its error is a *ChunkError.
func eachChunk(data []byte, off int, body func([]byte)) error {
	for chunk := 1; off < len(data); chunk++ {
		at := off
		eol := bytes.IndexByte(data[off:min(len(data), off+maxChunkLine)], '\n')
		if eol < 0 && len(data)-off >= maxChunkLine {
			return &ChunkError{chunk, int64(at), fmt.Sprintf("its size line is too long: no line end in its first %d bytes (%q...), where a size and its extensions take a few: the message is damaged there", maxChunkLine, data[off:off+40])}
		}
		if eol < 0 {
			return &ChunkError{chunk, int64(at), fmt.Sprintf("its size line %q has no line end", data[off:min(len(data), off+40)])}
		}
		line := data[off : off+eol]
		off += eol + 1
		line = bytes.TrimSuffix(line, []byte("\r"))
		size := line
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i] // a chunk extension
		}
		size = bytes.TrimRight(size, " \t")
		if len(bytes.TrimLeft(size, "0")) > maxChunkSizeDigits && isHexDigits(size) {
			// A hex number, too large to be one of the input's (it
			// said "a hex number of bytes is expected"); leading zeros
			// are no digits that count.
			return &ChunkError{chunk, int64(at), fmt.Sprintf("chunk size %q is too large (over %d hex digits): the message is damaged", line[:min(len(line), 40)], maxChunkSizeDigits)}
		}
		if len(size) == 0 || !isHexDigits(size) {
			return &ChunkError{chunk, int64(at), fmt.Sprintf("bad chunk size %q (a hex number of bytes is expected)", line[:min(len(line), 40)])}
		}
		k, _ := strconv.ParseInt(string(size), 16, 64)
		if k == 0 {
			return nil // the last chunk; trailer fields are not the body
		}
		if k > int64(len(data)-off) {
			return &ChunkError{chunk, int64(at), fmt.Sprintf("its size says %d bytes, but only %d are left: the message was cut short, or the size is wrong", k, len(data)-off)}
		}
		if body != nil {
			body(data[off : off+int(k)])
		}
		off += int(k)
		switch {
		case bytes.HasPrefix(data[off:], []byte("\r\n")):
			off += 2
		case bytes.HasPrefix(data[off:], []byte("\n")):
			off++
		case off == len(data):
		default:
			return &ChunkError{chunk, int64(off), fmt.Sprintf("its %d bytes are not followed by a line end (% x): the size line is wrong", k, data[off:min(len(data), off+8)])}
		}
	}
	return nil
}

// interimHead reports whether head is that of an interim response
// (HTTP/1.1 100 Continue, 103 Early Hints), which a final one follows.
func interimHead(head []byte) bool {
	status, _, _ := bytes.Cut(head, []byte("\n"))
	f := bytes.Fields(status)
	return len(f) >= 2 && bytes.HasPrefix(f[0], []byte("HTTP/1.")) && len(f[1]) == 3 && f[1][0] == '1'
}

// chunkedHead reports whether head, an HTTP message's head, says its
// body is sent in chunks.
func chunkedHead(head []byte) bool {
	for _, line := range bytes.Split(head, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), "Transfer-Encoding") &&
			strings.Contains(strings.ToLower(string(v)), "chunked") {
			return true
		}
	}
	return false
}

func isHexDigits(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
