package convert

// The conversion pipeline of "amfcall convert": find what the input is
// (detect once, decode once), pick the output form, render it. It never
// prints and names no command-line flag; its errors are typed
// (*TargetError, *InputError) so that the command line can add its own
// hints.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/textpos"
)

// InSpec says how to read an input; its zero value guesses everything.
type InSpec struct {
	// Encoding is the text wrapping to remove first, when EncodingSet.
	Encoding    Encoding
	EncodingSet bool
	// Kind is what the input holds, when KindSet; Version is the AMF
	// version of KindValue.
	Kind    Kind
	KindSet bool
	Version amf.Version
	// PyAMFArgs reads packet requests with PyAMF's AMF0 reference
	// numbering (see amf.DecOptions.UnregisteredArgs).
	PyAMFArgs bool
	// HintArg is the input's file as the hints' commands name it, a
	// word a shell reads back as the name (the caller quotes it: a name
	// with a space or a quote is pasted as one): "gzip -dc HintArg |
	// amfcall convert". Without it (stdin, or not given) the hint's
	// command reads a pipe: "... | gzip -dc | amfcall convert".
	HintArg string
}

// OutSpec is the output asked for: a form ("" for the input's default;
// json, amf0, amf3, packet, sol or flv) and a text wrapping for AMF bytes.
type OutSpec struct {
	Format   string
	Encoding Encoding
}

// Binary reports whether the output is raw AMF bytes.
func (o OutSpec) Binary() bool { return o.Format != "json" && o.Encoding == Raw }

// Source is a decoded input, ready to render.
type Source struct {
	Name     string // for messages: the input's name, and "(hex-decoded)" and so on
	Kind     Kind
	Encoding Encoding // the text wrapping removed
	How      string   // how the kind was decided, for people
	Data     []byte   // without text wrapping
	Packet   *amf.Packet
	Version  amf.Version // of KindValue
	// VersionWhy says how Version was chosen, for people.
	VersionWhy string
	FLV        []FLVTag
	flvOther   flvOther // the FLV's tags not in FLV
	SOL        *amf.SOL
	// Skipped is the text (a PHP notice, a byte order mark) that came
	// before the packet and was skipped; Data holds the packet only.
	Skipped []byte
	// Count, of a packet whose header or message count does not say
	// what its bytes hold (a gateway that writes its packets by hand):
	// the packet was read as its bytes say, with the count made right
	// in the decoder (amf.DecMode.WithCount), not in Data, which holds
	// the input's bytes as they are (no copy, never written to). The
	// output counts what the packet holds.
	Count *amf.CountFix
	// parts: Packet is the envelope only, its values are in Data
	// (packetdirect.go); wholePacket decodes them.
	parts *packetParts
	// sol: SOL holds the names only, its values are in Data
	// (soldirect.go); wholeSOL decodes them.
	sol *solScan
	// UTF16 says the input was UTF-16 text (a byte order mark, or JSON
	// told by its zero bytes), read as the same text in UTF-8
	// (DecodeUTF16): Data is that. Render's JSON errors give the
	// place in the user's UTF-16 file (utf16Form.inUTF16).
	UTF16 bool
	utf16 utf16Form
	// Misdecoded says the UTF-16 text looks like UTF-8 read as an OEM
	// code page on its way (Windows PowerShell 5's >): see [Misdecoded].
	Misdecoded bool
	// Dechunked says the input was a whole HTTP message whose body came
	// in chunks (DechunkHTTP): Data and offsets are of the head and the
	// body joined, not of the input's bytes.
	Dechunked bool
}

// Why says what an *InputError's input may be instead, for the hint.
type Why uint8

const (
	// WhyNone: no idea.
	WhyNone Why = iota
	// WhyUnknown: nothing fits; the reader should say what it is.
	WhyUnknown
	// WhyLooksLikePacket: a packet that does not decode; bare values?
	WhyLooksLikePacket
	// WhyOtherVersion: the other AMF version (InputError.Other) reads it.
	WhyOtherVersion
	// WhyDefaultGuess: it was read as bare AMF3 values only by default.
	WhyDefaultGuess
	// WhyText: it was read as bare AMF3 values by default, but it is
	// text (words), not AMF, JSON, hex or base64.
	WhyText
	// WhyUTF16: the same, and it starts with a UTF-16 byte order mark
	// but is not UTF-16 text (DecodeUTF16 reads that): cut short?
	WhyUTF16
	// WhyForeign: it is a file of another kind (gzip-compressed data,
	// an image...); InputError.Hint says what to do.
	WhyForeign
)

// InputError is an input that does not read as what it was taken for.
// Err is the cause (an *amf.SyntaxError, a *Error...); Why and Other say
// what it may be instead.
type InputError struct {
	Err   error
	Why   Why
	Other amf.Version // for WhyOtherVersion
	Hint  string      // for WhyForeign
	// Count, for WhyLooksLikePacket: the packet reads whole once this
	// count is made right (a gateway that wrote a wrong count).
	Count *amf.CountFix
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// TargetError is an output form the input cannot be written as. Formats
// lists the forms it can be written as, when that helps; Hint says more.
type TargetError struct {
	Msg     string
	Formats []string
	Hint    string
}

func (e *TargetError) Error() string { return e.Msg }

// inputErr makes an *InputError.
func inputErr(why Why, format string, a ...any) *InputError {
	return &InputError{Err: fmt.Errorf(format, a...), Why: why}
}

const defaultVersion = "the default for bare values"

// FormatOfName is the output form a file name asks for by its extension,
// or "" (the default for the input) when it asks for none.
func FormatOfName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".jsonl":
		return "json"
	case ".amf0":
		return "amf0"
	case ".amf3":
		return "amf3"
	case ".sol":
		return "sol"
	case ".flv":
		return "flv"
	case ".frames":
		// AMF Socket frames, as testdata/socket names them: without
		// this, bare AMF3 values were written under the name.
		return "socket"
	}
	return ""
}

// Load finds what the input is, as in says or by guessing, and decodes
// what must be decoded to know it: packets, FLV files. Bare values are
// decoded by Render, which may stream them straight into JSON. On an
// error the source is returned too when its kind is known. Load may
// rewrite data in place (an HTTP body in chunks is de-chunked there, a
// UTF-8 byte order mark blanked): use src.Data, not data, after it. A
// packet whose count is wrong is read with the count made right in the
// decoder, not in data (Source.Count).
func Load(data []byte, name string, in InSpec) (*Source, error) {
	src := &Source{Name: name, Data: data, How: guessedHow}
	if in.KindSet && (in.Kind == KindJSON || in.Kind == KindHAR) && !in.EncodingSet {
		// JSON that starts with a UTF-16 byte order mark but is not
		// UTF-16 text: where and why, in the file, not "invalid UTF-8
		// at offset 0" (the mark's first byte).
		if fe := UTF16Fault(data); fe != nil {
			return src, fmt.Errorf("%s: %w", name, fe)
		}
	}
	if text, form, ok := decodeUTF16Text(data); ok && (form.bom > 0 || !in.EncodingSet && (!in.KindSet || in.Kind == KindJSON || in.Kind == KindHAR)) {
		// JSON, hex or base64 text that Windows PowerShell 5 (> and
		// Out-File) or .NET wrote in UTF-16: read as the same text.
		// (JSON in UTF-16 with no byte order mark too, some tools
		// write it so, unless --from names another kind.)
		src.Data, src.UTF16, src.Misdecoded, src.utf16 = text, true, Misdecoded(text), form
		data, name = text, name+" (UTF-16)"
		if form.bom == 0 {
			name = strings.TrimSuffix(name, ")") + map[bool]string{false: "LE", true: "BE"}[form.be] + ", no byte order mark)"
		}
		src.Name = name
	}
	if !in.EncodingSet && (!in.KindSet || in.Kind == KindPacket) {
		// A whole HTTP message whose body came in chunks (curl -i
		// --raw, nc): the body de-chunked after its head, which is
		// then skipped as text before a packet (bare values, as
		// asked, have no head skipped: neither are they de-chunked).
		body, ok, cerr := DechunkHTTPInPlace(data)
		if cerr != nil {
			return nil, &InputError{Err: fmt.Errorf("%s: %w", name, cerr), Why: WhyForeign,
				Hint: "save the body alone, which curl de-chunks (curl -o FILE, without -i or --raw), and give amfcall that file"}
		}
		if ok {
			data, name = body, name+" (de-chunked)"
			src.Data, src.Name, src.Dechunked = body, name, true
		}
	}
	if in.EncodingSet {
		var err error
		src.Encoding = in.Encoding
		text := bytes.TrimSpace(data)
		if in.Encoding == Hex {
			if h := hexForm(text); h != nil {
				text = h // "\x0a\x0b", "0x0a0b", "0a:0b"
			}
			src.Data, err = DecodeHex(text)
		} else {
			src.Data, err = DecodeBase64(text)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		src.Name = fmt.Sprintf("%s (%s-decoded)", name, in.Encoding)
	}
	if in.KindSet && len(src.Data) == 0 {
		// No byte, whatever --from says: as a guessed input is told
		// (--from packet said "amf0: unexpected EOF within /version",
		// --from json "no JSON value at line 1, column 1").
		return src, inputErr(WhyNone, "%s: the input is empty", src.Name)
	}
	if in.KindSet {
		src.Kind, src.How = in.Kind, "as asked"
		if in.Kind == KindValue {
			src.Version, src.VersionWhy = in.Version, "as asked"
		}
	} else {
		g := detect(src.Data, true, true)
		src.Kind, src.Packet, src.parts = g.Kind, g.Packet, g.parts
		if g.Encoding != Raw {
			src.Encoding, src.Data = g.Encoding, g.Data
			src.Name = fmt.Sprintf("%s (%s-decoded)", name, g.Encoding)
		}
		if g.Kind == KindValue || g.Kind == KindPacket && g.Packet == nil {
			// Bytes no AMF starts with that another kind of file does
			// (a body saved gzip-compressed, an image): say which,
			// rather than a marker error or a packet found in them.
			if fe := ForeignError(src.Data, src.Name, in.HintArg, "convert"); fe != nil {
				return src, fe
			}
		}
		if g.Kind == KindPacket && g.Packet == nil && g.Err != nil {
			if src.readRecounted(in.PyAMFArgs) {
				g.Err = nil
			} else if herr := amf.HeadersMiscounted(src.Data, g.Err); herr != g.Err {
				return src, fmt.Errorf("%s: %w", src.Name, herr)
			} else {
				fix := amf.CountFixOf(src.Data)
				return src, &InputError{Err: fmt.Errorf("%s: %w", src.Name, g.Err), Why: WhyLooksLikePacket, Count: fix}
			}
		}
		if g.Kind == KindValue {
			src.Version, src.VersionWhy = amf.AMF3, defaultVersion
			switch strings.ToLower(filepath.Ext(name)) {
			case ".amf0":
				src.Version, src.VersionWhy = amf.AMF0, "from the file name"
			case ".amf3":
				src.VersionWhy = "from the file name"
			}
		}
	}
	if (src.Kind == KindJSON || src.Kind == KindHAR) && bytes.HasPrefix(src.Data, []byte("\xEF\xBB\xBF")) {
		// A UTF-8 byte order mark (Windows editors write one) becomes
		// blanks, which keeps the offsets in error messages right.
		copy(src.Data, "   ")
	}
	var err error
	switch src.Kind {
	case KindEmpty:
		if bytes.IndexByte(src.Data, '\t') >= 0 && len(src.Data) <= 16 {
			// A few blank bytes with a tab, which is also the AMF3 array
			// marker: say which, and what they are not.
			_, err3 := amf.UnmarshalAll(src.Data, amf.AMF3)
			return src, inputErr(WhyUnknown, "%s: the input is only white space (% x): not JSON, and not complete AMF either (%v)",
				name, src.Data, err3)
		}
		return src, inputErr(WhyNone, "%s: the input is empty", name)
	case KindValue:
		if len(src.Data) == 0 {
			return src, inputErr(WhyNone, "%s: the input is empty", name)
		}
	case KindPacket:
		if in.PyAMFArgs && src.Count == nil || src.Packet == nil {
			// The envelope, when the values stream (packetdirect.go).
			// (A packet read with its count made right was read so.)
			src.Packet, src.parts = scanPacket(src.Data, in.PyAMFArgs)
		}
		if src.Packet == nil {
			err = packetError(src.Data, in.PyAMFArgs)
		}
		if in.PyAMFArgs && src.Packet == nil && err == nil {
			m, _ := amf.DecOptions{UnregisteredArgs: true}.DecMode()
			src.Packet, err = m.UnmarshalPacket(src.Data)
		} else if src.Packet == nil && err == nil {
			src.Packet, err = amf.UnmarshalPacket(src.Data)
		}
	case KindSocket:
		if fe := frameLengthError(src.Data); fe != nil {
			return src, &InputError{Err: fmt.Errorf("%s: %w", src.Name, fe)}
		}
	case KindFLV:
		src.FLV, err = readFLVData(src.Data, &src.flvOther)
	case KindSOL:
		// The names, when the values stream (soldirect.go).
		if src.SOL, src.sol = scanSOL(src.Data); src.SOL == nil {
			// Its error from the tokens, building nothing; else its values.
			if err = amf.SOLError(src.Data); err == nil {
				src.SOL, err = amf.UnmarshalSOL(src.Data)
			}
		}
	}
	if ok, perr := src.textBeforePacket(in, err); ok {
		err = perr
		if err != nil && src.readRecounted(in.PyAMFArgs) {
			err = nil // a wrong count, after the text
		}
		if err != nil {
			// Of a packet cut short; its offsets are not the input's.
			err = fmt.Errorf("the AMF packet after %d bytes of text (offsets count from its first byte): %w", len(src.Skipped), err)
			if !in.KindSet {
				// Guessed, as a packet that does not decode is (detect).
				return src, &InputError{Err: fmt.Errorf("%s: %w", src.Name, err), Why: WhyLooksLikePacket}
			}
		}
	}
	if err != nil && src.Kind == KindPacket && src.readRecounted(in.PyAMFArgs) {
		err = nil // --from packet
	}
	if err != nil {
		if src.Kind == KindPacket {
			if fix := amf.CountFixOf(src.Data); fix != nil {
				// --from packet: a wrong count is said as for a guess.
				return src, &InputError{Err: fmt.Errorf("%s: %w", src.Name, err), Why: WhyLooksLikePacket, Count: fix}
			}
			if len(src.Skipped) == 0 {
				err = amf.HeadersMiscounted(src.Data, err)
			}
		}
		return src, fmt.Errorf("%s: %w", src.Name, err)
	}
	return src, nil
}

// readRecounted reads src.Data, a packet that does not decode, as its
// bytes say when one count alone is wrong in it ([amf.DecMode.CountFixOf]:
// a gateway that writes its packets by hand counted a batch's first
// answer only, or a header count of 0 before a header), as the client
// reads such a reply. The count is read as the bytes say
// ([amf.DecMode.WithCount]): Data is neither copied nor written to, and
// Count says what the count said and what it was read as. It reports false, leaving src as it was, when no count is wrong
// or the packet does not decode with it made right either (cut short in
// a body, or text after it).
func (src *Source) readRecounted(pyamf bool) bool {
	m, _ := amf.DecOptions{UnregisteredArgs: pyamf}.DecMode()
	fix := m.CountFixOf(src.Data)
	if fix == nil {
		return false
	}
	m = m.WithCount(fix) // Data is not written to
	var parts *packetParts
	p, hs, ms, ok := m.ScanPacket(src.Data)
	if ok {
		parts = &packetParts{headers: hs, messages: ms, pyamf: pyamf}
	} else {
		var err error
		if p, err = m.UnmarshalPacket(src.Data); err != nil {
			return false
		}
	}
	src.Kind, src.Packet, src.parts, src.Count = KindPacket, p, parts, fix
	return true
}

// textBeforePacket reads, as a saved gateway reply, a packet that
// follows some text (a PHP gateway prints notices before its AMF bytes),
// when src is a packet that does not decode (err) or bytes guessed to be
// bare values that no AMF can start with. ok says it did: src is then
// the packet, Skipped the text, and err the packet's error (nil, or the
// error of a packet cut short).
func (src *Source) textBeforePacket(in InSpec, err error) (ok bool, _ error) {
	d := src.Data
	if len(d) == 0 || amf.StartsPacket(d) {
		return false, nil
	}
	at := -1 // where the packet must start, when it must start right after white space
	switch {
	case src.Kind == KindPacket && err != nil:
	case src.Kind == KindValue && !in.KindSet:
		// 0x12 and above start no AMF0 or AMF3 value. White space may
		// start AMF3 (0x09 an array, 0x0A an object): then only when a
		// packet starts right after it and the bytes are not AMF3
		// values (checked last: it reads them all).
		if d[0] <= 0x11 {
			k := 0
			for k < len(d) && (d[k] == ' ' || d[k] == '\t' || d[k] == '\n' || d[k] == '\r') {
				k++
			}
			if k == 0 || !amf.StartsPacket(d[k:]) || amf.Valid(d, amf.AMF3) == nil {
				return false, nil
			}
			at = k
		}
	default:
		return false, nil
	}
	return src.packetAfterText(in.PyAMFArgs, at, true)
}

// packetAfterText makes src the packet that follows some text in its
// data (amf.DecMode.FindPacketStart: a whole packet, else one cut
// short), when it starts at at (any offset when at is -1; a whole
// packet only when at is not -1). ok says it
// found one; err is then the packet's error (nil, or the error of a
// packet cut short). The packet's values are read as Load reads a
// packet's (scanPacket), not built; not at all unless read.
func (src *Source) packetAfterText(pyamf bool, at int, read bool) (ok bool, err error) {
	d := src.Data
	m, _ := amf.DecOptions{UnregisteredArgs: pyamf}.DecMode()
	i, cut, found := m.FindPacketStart(d)
	if !found && at < 0 {
		// Perhaps a whole packet with text after it too (below),
		// and none cut short further on.
		i, cut, found = amf.MaxPacketPrefix, errNoPacketHere, true
	}
	if !found || at >= 0 && (i != at || cut != nil) {
		// An AMF0 strict array starts with 0x0A (a line feed) and its
		// count with zeros: its own bytes further on (the six zero
		// bytes that end the number 3) are no packet after text, and
		// the zeros after its marker start a packet cut short. After
		// white space, only a whole packet is one.
		return false, nil
	}
	if cut != nil {
		if j, te := m.PacketThenText(d, min(i, amf.MaxPacketPrefix)); te != nil {
			// Text before the packet and after it (a PHP notice, then
			// the packet, then a closing "?>"): the packet is whole at
			// j, and what follows it is the error, not a packet cut
			// short at a later zero byte.
			src.Kind, src.Skipped, src.Data = KindPacket, d[:j], d[j:]
			src.Packet, src.parts = nil, nil
			src.How = fmt.Sprintf("a packet after %d bytes of text, and %d bytes after it", j, te.N)
			return true, te
		}
	}
	if cut == errNoPacketHere {
		return false, nil
	}
	src.Kind, src.Skipped, src.Data = KindPacket, d[:i], d[i:]
	src.Packet, src.parts = nil, nil
	if cut != nil {
		src.How = fmt.Sprintf("a packet cut short after %d bytes of text", i)
		return true, cut
	}
	src.How = fmt.Sprintf("a packet after %d bytes of text", i)
	if !read {
		return true, nil
	}
	if src.Packet, src.parts = scanPacket(src.Data, pyamf); src.Packet == nil {
		src.Packet, err = m.UnmarshalPacket(src.Data)
	}
	return true, err
}

// errNoPacketHere stands, in packetAfterText, for no packet found after
// text, whole or cut short: only one with text after it is looked for.
var errNoPacketHere = errors.New("no packet")

// SkipTextBeforePacket is, for input said to be a packet but read as
// bare values (a dump reads the packet itself), what Load does for a
// packet that does not start as one: it finds the packet after the text
// (a PHP notice), whole or cut short, and makes src that packet, with
// Skipped the text. ok says it found one; err is then the error of a
// packet cut short, else nil.
func (src *Source) SkipTextBeforePacket(pyamf bool) (ok bool, err error) {
	if len(src.Data) == 0 || amf.StartsPacket(src.Data) {
		return false, nil
	}
	return src.packetAfterText(pyamf, -1, false)
}

// withValues runs f, which decodes the bare values, with the version
// chosen. AMF3 is only the default: when it fails and the version was not
// asked for, bytes that AMF0 reads are taken for AMF0.
// WithValues runs f, which reads the bare values with the version given,
// as [Source.Render] does: when AMF3, only the default, fails, bytes that
// AMF0 reads sensibly are taken for AMF0 (and Version says so). The error
// carries the hints of an [InputError].
func (src *Source) WithValues(f func(amf.Version) error) error { return src.withValues(f) }

// ValueError is err, an error met reading src's bare values some other
// way, with the hints withValues gives (the other version reads them, or
// the version was only the default).
func (src *Source) ValueError(err error) error { return src.valueHint(err) }

func (src *Source) withValues(f func(amf.Version) error) error {
	err := f(src.Version)
	if err == nil {
		return nil
	}
	var se *amf.SyntaxError
	var te *amf.TrailingDataError
	if src.VersionWhy == defaultVersion && (errors.As(err, &se) || errors.As(err, &te)) {
		// AMF0 reads almost anything: take it only when what it reads
		// makes sense (not a lone number like 2.9e-292 made of text).
		vs, err0 := unmarshalValid(src.Data, amf.AMF0)
		why := Implausible(vs)
		if err0 == nil && why == "" {
			src.Version, src.VersionWhy = amf.AMF0, "they do not decode as AMF3"
			if err := f(amf.AMF0); err != nil {
				// They read as AMF0: what fails is the output (over
				// --max-output, say), not the guess.
				return src.valueHint(fmt.Errorf("%s: %w", src.Name, err))
			}
			return nil
		}
		if err0 == nil {
			return inputErr(WhyUnknown, "%s: cannot tell what the %d bytes are: not a .sol or FLV file, not JSON, hex or base64 text, "+
				"not an AMF packet, not bare AMF3 values (%v), and as AMF0 %s", src.Name, len(src.Data), err, why)
		}
	}
	return src.valueHint(fmt.Errorf("%s: %w", src.Name, err))
}

// valueHint adds a hint to a bare-value decoding error when the other
// AMF version reads the input.
func (src *Source) valueHint(err error) error {
	if errors.As(err, new(*OutputLimitError)) {
		return err // the input was read: it is the output that is too large
	}
	other := amf.AMF0
	if src.Version == amf.AMF0 {
		other = amf.AMF3
	}
	if len(src.Data) > 0 && amf.Valid(src.Data, other) == nil && !src.implausibleAMF0(other) {
		// (Some value, as UnmarshalAll gives of any bytes that decode:
		// checked with the token Reader, building nothing.)
		return &InputError{Err: err, Why: WhyOtherVersion, Other: other}
	}
	switch {
	case src.VersionWhy != defaultVersion:
		return err
	case utf16BOM(src.Data):
		h := ""
		if fe := UTF16Fault(src.Data); fe != nil {
			// (What is wrong, and where in the file.)
			h = strings.TrimPrefix(fe.Error(), "json: ")
		}
		return &InputError{Err: err, Why: WhyUTF16, Hint: h}
	case src.Encoding == Raw && isPlainText(src.Data):
		return &InputError{Err: err, Why: WhyText}
	}
	return &InputError{Err: err, Why: WhyDefaultGuess}
}

// implausibleAMF0 reports whether bytes only guessed to be AMF3 read as
// AMF0 values that withValues would not believe (Implausible: a lone
// number made of text), so that no hint says --from amf0 where convert
// itself says it cannot tell. Such a value is a few bytes: longer input
// is not decoded here.
func (src *Source) implausibleAMF0(other amf.Version) bool {
	if other != amf.AMF0 || src.VersionWhy != defaultVersion || len(src.Data) > 64 {
		return false
	}
	vs, err := amf.UnmarshalAll(src.Data, amf.AMF0)
	return err == nil && Implausible(vs) != ""
}

// utf16BOM reports whether data starts with a UTF-16 byte order mark
// (Windows PowerShell's Out-File and > write UTF-16 by default; Load
// reads whole UTF-16 text, so one it sees here is not).
func utf16BOM(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
}

// isPlainText reports whether data is UTF-8 text without control
// characters but white space: words, not AMF, JSON, hex or base64.
func isPlainText(data []byte) bool {
	return len(data) > 0 && utf8.Valid(data) && !controlBytes(data)
}

func (src *Source) Describe() string {
	var s string
	switch src.Kind {
	case KindJSON:
		s = "JSON text"
	case KindPacket:
		s = "an AMF packet"
		if p := src.Packet; p != nil {
			s = fmt.Sprintf("an AMF packet (version %d, %s, %s)", p.Version,
				plural(len(p.Headers), "header"), plural(len(p.Messages), "message"))
		}
	case KindValue:
		s = fmt.Sprintf("bare AMF values, read as %s (%s)", strings.ToUpper(src.Version.String()), src.VersionWhy)
	case KindFLV:
		s = "an FLV file"
	case KindSOL:
		s = "a local shared object (.sol)"
	case KindSocket:
		s = "AMF Socket frames"
	case KindHAR:
		s = "a HAR file"
	case KindEmpty:
		s = "nothing"
	}
	if src.Encoding != Raw {
		s += ", in " + src.Encoding.String() + " text"
	}
	if src.Kind == KindValue {
		switch {
		case src.How == guessedHow:
			// Beside the version's own reason, say what was guessed:
			// "read as AMF0 (from the file name); the kind guessed ...".
			return s + "; the kind " + src.How
		case src.VersionWhy != defaultVersion:
			// The version's reason (--from, the caller) already says
			// how the kind was chosen: "(from --from); as --from says".
			return s
		}
	}
	return s + "; " + src.How
}

// guessedHow is Source.How when the kind was found from the bytes.
const guessedHow = "guessed from the content"

// Target is the resolved output form.
type Target struct {
	Format   string // json, amf0, amf3, packet, sol, flv
	Encoding Encoding
}

// Binary reports whether the output is raw AMF bytes.
func (t Target) Binary() bool { return t.Format != "json" && t.Encoding == Raw }

// Describe says what is written, for people.
func (t Target) Describe(o *Options) string {
	switch t.Format {
	case "json":
		form, layout := "plain", "compact"
		if o.Typed {
			form = "typed"
		}
		if o.Indent != "" {
			layout = "indented"
		}
		return fmt.Sprintf("JSON (%s, %s)", form, layout)
	case "packet":
		return "AMF packet" + t.encNote()
	case "sol":
		return "local shared object (.sol)" + t.encNote()
	case "flv":
		return "FLV file (script tags only)" + t.encNote()
	case "socket":
		return "AMF Socket frames" + t.encNote()
	}
	return "bare " + strings.ToUpper(t.Format) + " values" + t.encNote()
}

func (t Target) encNote() string {
	if t.Encoding == Raw {
		return ""
	}
	return " as " + t.Encoding.String() + " text"
}

// Target fills in the default output form for the source and rejects
// impossible pairs.
func (src *Source) Target(to OutSpec) (Target, error) {
	t := Target{Format: to.Format, Encoding: to.Encoding}
	if t.Format == "" {
		switch {
		case src.Kind == KindJSON:
			t.Format = "amf3"
			if IsPacketJSON(src.Data) {
				t.Format = "packet"
			} else if IsSOLJSON(src.Data) {
				t.Format = "sol"
			} else if IsFLVJSON(src.Data) {
				t.Format = "flv"
			}
		case to.Encoding == Raw:
			t.Format = "json"
		case src.Kind == KindPacket:
			t.Format = "packet"
		case src.Kind == KindSOL:
			t.Format = "sol"
		case src.Kind == KindValue:
			t.Format = src.Version.String()
		case src.Kind == KindSocket:
			t.Format = "socket"
		}
	}
	switch {
	case t.Format == "json" || src.Kind == KindJSON:
		return t, nil
	case src.Kind == KindSocket && t.Format != "socket":
		return t, &TargetError{Msg: fmt.Sprintf("AMF Socket frames can't be written as %s", t.Format), Formats: []string{"json", "socket"}}
	case src.Kind != KindSocket && src.Kind != KindValue && t.Format == "socket":
		return t, &TargetError{Msg: "only AMF Socket frames, bare AMF values or JSON lines can be written as frames",
			Hint: `convert to JSON first: each JSON line becomes one frame, such as {"type": "rpcMessage", "message": {"messageId": "1", "command": "hi", "params": {}}}`}
	case t.Format == "flv":
		return t, &TargetError{Msg: "only the JSON form of an FLV file can be written as an FLV file",
			Hint: `convert the FLV to JSON first; its JSON form is {"flv": [{"timestamp": 0, "name": "onMetaData", "value": {...}}]}`}
	case src.Kind == KindFLV:
		what := t.Format
		if what == "" {
			what = t.Encoding.String() // --to hex, --to base64
		}
		return t, &TargetError{Msg: fmt.Sprintf("FLV input converts to JSON only, not to %s", what), Formats: []string{"json"}}
	case src.Kind == KindSOL && t.Format != "sol":
		return t, &TargetError{Msg: fmt.Sprintf("a .sol file can't be written as %s", t.Format), Formats: []string{"sol", "json"}}
	case src.Kind != KindSOL && t.Format == "sol":
		return t, &TargetError{Msg: "only a .sol file or its JSON form can be written as a .sol file",
			Hint: `its JSON form is {"sol": "name", "version": 3, "data": {"key": "value"}}`}
	case src.Kind == KindPacket && t.Format != "packet":
		return t, &TargetError{Msg: fmt.Sprintf("a packet can't be written as bare %s values", strings.ToUpper(t.Format)), Formats: []string{"packet", "json"}}
	case src.Kind == KindValue && t.Format == "packet":
		return t, &TargetError{Msg: "bare AMF values can't be written as a packet",
			Hint: `a packet comes from a packet, or from JSON such as {"version": 0, "messages": [{"target": "echo", "response": "/1", "value": [1]}]}`}
	}
	return t, nil
}

// Render converts the source into the target's bytes.
//
// JSON output stops at Options.MaxOutput bytes. Past it, on every path
// that [Source.RenderTo] does not stream (and for an FLV file), Render
// returns with the limit error (an *OutputLimitError) the output up to
// the limit, the bytes a streamed path writes before it, for the caller
// to write as well; the plain form of bare values and AMF Socket frames,
// which RenderTo streams, returns nothing. On any other error Render
// returns nil.
func (src *Source) Render(t Target, o *Options) (_ []byte, rerr error) {
	if src.UTF16 {
		defer func() { rerr = src.utf16.inUTF16(rerr, src.Data) }()
	}
	var out []byte
	var err error
	// Member keys given twice in JSON (written as given): one warning
	// once it has converted.
	var dk dupKeys
	defer func() {
		if rerr == nil && src.Kind == KindJSON && o != nil {
			dk.warn(src.Data, o.Warn)
		}
	}()
	if err := src.wholePacket(); err != nil {
		return nil, err
	}
	if err := src.wholeSOL(); err != nil {
		return nil, err
	}
	switch t.Format {
	case "json":
		out, err = src.renderJSON(o)
		if lim := outputLimit(o); err == nil && len(out) > lim {
			// Past the limit at the last value, or the newline after
			// it: the streamed paths stop there too (limitWriter).
			err = fmt.Errorf("%s: %w", src.Name, limitError(o))
		}
		if err != nil && errors.As(err, new(*OutputLimitError)) {
			// The output up to the limit, which the writers held.
			return out[:min(len(out), outputLimit(o))], err
		}
	case "packet":
		p := src.Packet
		if src.Kind == KindJSON {
			if p, err = packetFromJSON(src.Data, &dk); err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
		}
		out, err = amf.MarshalPacket(p)
		if src.Kind == KindJSON {
			err = encodeAt(err, src.Data, 0) // where in the text
		}
		err = src.named(err)
	case "socket":
		data := src.Data
		switch src.Kind {
		case KindSocket:
			// Through the typed form, which keeps every value as it was.
			if data, err = src.framesJSON(&Options{Typed: true}); err != nil {
				return nil, err
			}
		case KindValue:
			// Bare values, a frame each, through the typed form as
			// "convert | convert --to socket" goes (AMF0 values become
			// AMF3 as they do there).
			if data, err = src.renderJSON(&Options{Typed: true}); err != nil {
				return nil, err
			}
		}
		var in *dupKeys
		var zoned dupKeys // AMF0 values' dates with a time zone
		switch src.Kind {
		case KindJSON:
			in = &dk
		case KindValue:
			in = &zoned
		}
		if out, err = framesFromJSON(nil, data, in); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		if zoned.tzs > 0 && o != nil && o.Warn != nil {
			// Each value is a line of data: the line of the first "$tz".
			line, _ := textpos.LineCol(data, int64(zoned.tzAt))
			o.Warn(zonesDropped(zoned.tzs, line))
		}
	case "flv":
		if out, err = flvFromJSON(src.Data, &dk); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
	case "sol":
		if src.Kind == KindJSON {
			out, err = appendSOLModel(nil, src.Data, &dk)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			break
		}
		out, err = amf.MarshalSOL(src.SOL)
		err = src.named(err)
	default:
		ver := amf.AMF3
		if t.Format == "amf0" {
			ver = amf.AMF0
		}
		if src.Kind == KindJSON {
			// Straight from the text where it can (plain JSON to AMF3).
			out, err = appendJSONAsAMF(nil, src.Data, ver, &dk)
			if err != nil {
				return nil, src.named(err)
			}
			break
		}
		var vs []any
		switch src.Kind {
		case KindValue:
			err := src.withValues(func(v amf.Version) (err error) {
				vs, err = unmarshalValid(src.Data, v)
				return err
			})
			if err != nil {
				return nil, err
			}
		}
		if src.Version == amf.AMF0 && ver == amf.AMF3 && o != nil && o.Warn != nil {
			if n, first := zonedDates(vs); n > 0 {
				o.Warn(zonesDropped(n, first+1))
			}
		}
		var buf bytes.Buffer
		enc := amf.NewEncoder(&buf, ver)
		for i, v := range vs {
			if err := enc.Encode(v); err != nil {
				if len(vs) > 1 {
					err = fmt.Errorf("value %d: %w", i+1, err)
				}
				return nil, err
			}
		}
		out = buf.Bytes()
	}
	if err != nil {
		return nil, err
	}
	switch t.Encoding {
	case Hex:
		out = append([]byte(hex.EncodeToString(out)), '\n')
	case Base64:
		out = append([]byte(base64.StdEncoding.EncodeToString(out)), '\n')
	}
	return out, nil
}

// named puts the input's name before an error of the input: JSON that
// does not parse, or a value it gives that cannot be written (an empty
// member name, a name over 64 KiB, traits that do not match the
// members); other errors (a failed write) stay as they are.
func (src *Source) named(err error) error {
	var je *Error
	if err != nil && (errors.As(err, &je) || errors.Is(err, amf.ErrUnencodable)) {
		return fmt.Errorf("%s: %w", src.Name, err)
	}
	return err
}

// limitNamed names the input in an output limit error, as the paths
// for bare values and frames do ("reply.amf: json: plain output exceeds
// ..."), keeping the output up to the limit that comes with it.
func (src *Source) limitNamed(b []byte, err error) ([]byte, error) {
	if err != nil && errors.As(err, new(*OutputLimitError)) {
		return b, fmt.Errorf("%s: %w", src.Name, err)
	}
	return b, err
}

func (src *Source) renderJSON(o *Options) ([]byte, error) {
	switch src.Kind {
	case KindPacket:
		return src.limitNamed(appendLine(appendPacket(nil, src.Packet, o)))
	case KindValue:
		var out []byte
		err := src.withValues(func(v amf.Version) (err error) {
			if o != nil && o.Typed {
				// Through the value model, as AppendAMF writes the typed
				// form, keeping the output up to the limit.
				vs, err := unmarshalValid(src.Data, v)
				if err != nil {
					return err
				}
				out, err = appendValues(nil, vs, o)
				return err
			}
			out, err = AppendAMF(nil, src.Data, v, o)
			return err
		})
		return out, err
	case KindFLV:
		out, err := src.limitNamed(appendLine(appendValue(nil, flvValue(src.FLV), o)))
		for _, msg := range []string{src.flvOther.prevWarning(), src.flvOther.openWarning(), src.flvOther.cutWarning()} {
			if err == nil && msg != "" && o != nil && o.Warn != nil {
				o.Warn(src.Name + ": " + msg)
			}
		}
		if msg := src.flvOther.warning(); err == nil && msg != "" && o != nil && o.Typed && o.Warn != nil {
			// The typed form is the one converted back: say what it
			// leaves out (the plain form is a view).
			o.Warn(src.Name + ": " + msg)
		}
		return out, err
	case KindSOL:
		return src.limitNamed(appendLine(appendSOL(nil, src.SOL, o)))
	case KindSocket:
		return src.framesJSON(o)
	case KindJSON:
		if IsSOLJSON(src.Data) {
			sol, err := SOLFromJSON(src.Data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			return src.limitNamed(appendLine(appendSOL(nil, sol, o)))
		}
		if IsPacketJSON(src.Data) {
			p, err := PacketFromJSON(src.Data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			return src.limitNamed(appendLine(appendPacket(nil, p, o)))
		}
		vs, err := FromJSONLines(src.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		return src.limitNamed(valuesJSON(vs, o))
	}
	return nil, fmt.Errorf("can't convert %s input to JSON", src.Kind)
}

// valuesJSON is the JSON of JSON lines' values, one document per line.
func valuesJSON(vs []any, o *Options) ([]byte, error) {
	if len(vs) == 1 {
		return appendLine(appendValue(nil, vs[0], o))
	}
	return appendValues(nil, vs, o)
}

// appendLine ends the JSON b with a newline; an error (with the output
// up to the limit, for the limit's) is returned as it comes.
func appendLine(b []byte, err error) ([]byte, error) {
	if err != nil {
		return b, err
	}
	return append(b, '\n'), nil
}

// flvValue is the JSON shape of an FLV file's script tags:
// {"flv": [{"tag": N, "timestamp": MS, "name": "onMetaData", "value": ...}]}.
func flvValue(tags []FLVTag) any {
	items := make([]any, len(tags))
	for i, t := range tags {
		items[i] = flvTagValue(t)
	}
	return &amf.Object{Members: []amf.Member{{Name: "flv", Value: &amf.Array{Dense: items}}}}
}

// framesJSON is the JSON of a capture of AMF Socket frames, one line per
// frame; a frame cut short, too large or that does not decode is an
// *amf.FrameError or *amf.FrameSizeError.
func (src *Source) framesJSON(o *Options) ([]byte, error) {
	out, err := AppendFrames(nil, src.Data, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Name, err)
	}
	return out, nil
}

// RenderTo writes what the streaming paths convert (bare AMF values to
// plain JSON, JSON plain or typed to AMF3 and AMF0) straight to out, so
// that memory does not grow with the output; it reports false, having
// written nothing, for anything else, which [Source.Render] converts.
//
// JSON output stops at Options.MaxOutput bytes exactly: the bytes up to
// the limit are written, then the limit error is returned, the same
// bytes and error on every path.
func (src *Source) RenderTo(out io.Writer, t Target, o *Options) (_ bool, rerr error) {
	if src.UTF16 {
		defer func() { rerr = src.utf16.inUTF16(rerr, src.Data) }()
	}
	if t.Format != "json" {
		return src.renderTo(out, t, o)
	}
	lw := newLimitWriter(out, o)
	ok, err := src.renderTo(lw, t, o)
	if err != nil && err == lw.err {
		// Met in writing out, not named on the way: as Render says it.
		err = fmt.Errorf("%s: %w", src.Name, err)
	}
	return ok, err
}

func (src *Source) renderTo(out io.Writer, t Target, o *Options) (bool, error) {
	var write func(w io.Writer) error
	var dk dupKeys // member keys given twice in JSON, as Render
	if t.Format == "json" && t.Encoding == Raw && src.Kind == KindValue && src.VersionWhy == defaultVersion &&
		!validValues(src.Data, src.Version, guessCheck) && !src.amf0Instead() {
		// Not AMF3, and not AMF0 either: Render says why.
		return false, nil
	}
	switch {
	case t.Format == "json" && src.Kind == KindValue && !o.Typed:
		if t.Encoding != Raw {
			return false, nil
		}
		if src.VersionWhy == defaultVersion {
			// AMF3 for a guessCheck at least (else amf0Instead above
			// took them for AMF0).
			if len(src.Data) > guessCheck {
				// Read as AMF3 for a whole guessCheck: AMF3 it is. Once
				// output is written there is no going back to AMF0.
				write = func(w io.Writer) error {
					if err := WriteAMF(w, src.Data, src.Version, o); err != nil {
						return src.valueHint(fmt.Errorf("%s: %w", src.Name, err))
					}
					return nil
				}
				break
			}
		}
		write = func(w io.Writer) error {
			return src.withValues(func(v amf.Version) error { return WriteAMF(w, src.Data, v, o) })
		}
	case t.Format == "json" && src.Kind == KindValue && o.Typed && t.Encoding == Raw:
		// Typed JSON streamed from the tokens (typeddirect.go), or
		// nothing written.
		return src.renderTypedTo(out, o)
	case t.Format == "json" && src.Kind == KindPacket && src.parts != nil && t.Encoding == Raw:
		// A packet's JSON streamed from the tokens (packetdirect.go).
		return src.renderPacketTo(out, o)
	case t.Format == "json" && src.Kind == KindSOL && src.sol != nil && t.Encoding == Raw:
		// A .sol file's JSON streamed from the tokens (soldirect.go).
		return src.renderSOLTo(out, o)
	case t.Format == "json" && src.Kind == KindSocket && o.Typed && t.Encoding == Raw:
		return src.renderFramesTypedTo(out, o)
	case t.Format == "json" && src.Kind == KindSocket && !o.Typed:
		// Plain JSON streamed from the tokens (framesplain.go), once
		// every frame is known to decode; else Render says why.
		p := plainPool.Get().(*plainConv)
		defer p.release()
		trailing, ok := framesPlain(src.Data, p)
		if !ok {
			return src.framesNotTaken(o)
		}
		write = func(w io.Writer) error { return writeFramesPlain(w, src.Name, src.Data, trailing, p, o) }
	case t.Format == "socket" && src.Kind == KindJSON:
		// JSON lines to frames, streamed (socket.go).
		write = func(w io.Writer) error {
			if err := writeFramesFromJSON(w, src.Data, !o.Discardable, &dk); err != nil {
				return fmt.Errorf("%s: %w", src.Name, err)
			}
			return nil
		}
	case t.Format == "packet" && src.Kind == KindJSON:
		// JSON, plain or typed, to a packet streamed (jsonpacket.go), or
		// through the value model as Render writes it.
		write = func(w io.Writer) error {
			if _, ok, err := packetDirect(nil, w, src.Data, &dk); ok {
				return err
			}
			p, err := packetFromJSON(src.Data, &dk)
			if err != nil {
				return fmt.Errorf("%s: %w", src.Name, err)
			}
			b, err := amf.MarshalPacket(p)
			if err != nil {
				return src.named(encodeAt(err, src.Data, 0))
			}
			_, err = w.Write(b)
			return err
		}
	case t.Format == "sol" && src.Kind == KindJSON:
		// The same for a .sol file (jsonsol.go).
		write = func(w io.Writer) error {
			if _, ok, err := solDirect(nil, w, src.Data, &dk); ok {
				return err
			}
			b, err := appendSOLModel(nil, src.Data, &dk)
			if err != nil {
				return fmt.Errorf("%s: %w", src.Name, err)
			}
			_, err = w.Write(b)
			return err
		}
	case t.Format == "amf3" && src.Kind == KindJSON && !IsSOLJSON(src.Data) && !IsPacketJSON(src.Data) && !IsFLVJSON(src.Data):
		write = func(w io.Writer) error {
			return src.named(writeJSONAsAMF(w, src.Data, amf.AMF3, &dk))
		}
	case t.Format == "amf0" && src.Kind == KindJSON && !IsSOLJSON(src.Data) && !IsPacketJSON(src.Data) && !IsFLVJSON(src.Data):
		// JSON, plain or typed, to AMF0 bare values streamed as well
		// (issue 7: memory that does not grow with the input).
		write = func(w io.Writer) error {
			return src.named(writeJSONAsAMF(w, src.Data, amf.AMF0, &dk))
		}
	default:
		return false, nil
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	var w io.Writer = bw
	var closer io.Closer
	switch t.Encoding {
	case Hex:
		w = hex.NewEncoder(bw)
	case Base64:
		enc := base64.NewEncoder(base64.StdEncoding, bw)
		w, closer = enc, enc
	}
	if err := write(w); err != nil {
		if t.Encoding == Raw && errors.As(err, new(*OutputLimitError)) {
			// The output up to the limit is written before the error
			// (upToLimit): out holds it all.
			if ferr := bw.Flush(); ferr != nil {
				return true, ferr
			}
		}
		return true, err
	}
	if closer != nil {
		if err := closer.Close(); err != nil {
			return true, err
		}
	}
	if t.Encoding != Raw {
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return true, err
	}
	dk.warn(src.Data, o.Warn)
	return true, nil
}

// amf0Instead reports whether bare values only guessed to be AMF3 (the
// default), which do not read as AMF3, are AMF0, as withValues decides it
// when their conversion fails, and says so in src: decided before any
// output, they stream as AMF0 (Render wrote them whole, and nothing of
// them past --max-output).
func (src *Source) amf0Instead() bool {
	err := amf.Valid(src.Data, amf.AMF3)
	var se *amf.SyntaxError
	var te *amf.TrailingDataError
	if err == nil || !errors.As(err, &se) && !errors.As(err, &te) {
		return false
	}
	vs, err0 := unmarshalValid(src.Data, amf.AMF0)
	if err0 != nil || Implausible(vs) != "" {
		return false
	}
	src.Version, src.VersionWhy = amf.AMF0, "they do not decode as AMF3"
	return true
}

// packetError is the error amf.UnmarshalPacket (with PyAMF's numbering
// when pyamf) gives of a packet that amf.ScanPacket did not read, found
// with the token Reader, which builds no value; nil when it decodes or
// when only the value model can tell (a request's numbering), which
// the caller then decodes for the packet or its error.
func packetError(data []byte, pyamf bool) error {
	m, _ := amf.DecOptions{UnregisteredArgs: pyamf}.DecMode()
	if err, known := m.PacketError(data); known {
		return err
	}
	return nil
}

// unmarshalValid is amf.UnmarshalAll, whose error it gives, but it
// builds the values only of input that the token Reader reads whole
// (amf.Valid, the same error): input that does not decode, hostile or
// not, costs a pass over its tokens and not the value model of all that
// comes before its error (issue 7: 18 M empty objects, then one over the
// reference limit, took 1.7 GB before the error).
func unmarshalValid(data []byte, ver amf.Version) ([]any, error) {
	if err := amf.Valid(data, ver); err != nil {
		return nil, err
	}
	return amf.UnmarshalAll(data, ver)
}

// typedNotTaken is what renderTypedTo returns when the direct typed
// writer does not take the bare values: err is the Reader's error when
// they do not decode, the value decoder's own (offset, path), said here
// as Render says it (withValues: the hints, AMF0 instead of the default
// AMF3) without building the values before it; nil leaves the input to
// Render. Bytes only guessed to be AMF3 that read as AMF0 are left to
// Render too, which converts them as AMF0.
func (src *Source) typedNotTaken(err error) (bool, error) {
	if err == nil || src.VersionWhy == defaultVersion && src.Version == amf.AMF3 && amf.Valid(src.Data, amf.AMF0) == nil {
		return false, nil
	}
	return true, src.withValues(func(amf.Version) error { return err })
}

// guessCheck is how much of bare values whose version is only guessed
// RenderTo reads before it streams their JSON. AMF0 bytes read as AMF3
// fail within a few bytes (text is no AMF3 marker, and AMF0's counts and
// lengths read as references to empty tables), so bytes that read as
// AMF3 for 256 KiB are AMF3, and the rest need not be read twice. (It
// was a MiB: on W1 x 100 from a pipe, 5.6 MB, that check took 9-10% of
// the process's CPU time; now 2-3%.)
const guessCheck = 256 << 10

// validValues reports whether data is a sequence of values of version ver
// that decodes, as amf.Valid does, reading runs of tokens at a time; it
// stops, reporting true, once more than limit bytes have been read.
func validValues(data []byte, ver amf.Version, limit int64) bool {
	r := amf.NewReader(data, ver)
	var batch [64]amf.BatchToken
	for {
		if r.ReadBatch(batch[:]) > 0 {
			if r.InputOffset() > limit {
				return true
			}
			continue
		}
		if _, err := r.NextToken(); err != nil {
			return err == io.EOF
		}
		if r.InputOffset() > limit {
			return true
		}
	}
}

// zonesDropped is the warning of AMF0 values written as AMF3 whose n
// dates have a time-zone field other than 0, the first in the value
// numbered value (from 1): AMF3 dates have none, so it is dropped, as
// a typed "$tz" written as AMF3 is (with a warning: dupKeys.tzWarning).
func zonesDropped(n, value int) string {
	if n == 1 {
		return fmt.Sprintf("the AMF0 date in value %d has a time-zone field, which AMF3 dates have no room for: it is dropped", value)
	}
	return fmt.Sprintf("%d AMF0 dates have a time-zone field (the first in value %d), which AMF3 dates have no room for: each is dropped", n, value)
}

// zonedDates counts the dates with a time-zone field other than 0 in the
// AMF0 values vs (each value once, however often it is shared), and
// gives the index of the value of the first. What an AMF3 switch holds
// has no time zone.
func zonedDates(vs []any) (n, first int) {
	seen := map[any]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case *amf.Date:
			if x.TZ != 0 && !seen[x] {
				seen[x] = true
				n++
			}
			return
		case *amf.Object, *amf.ECMAArray, *amf.Array:
			if seen[x] {
				return
			}
			seen[x] = true
		default:
			return
		}
		switch x := v.(type) {
		case *amf.Object:
			for _, m := range x.Members {
				walk(m.Value)
			}
		case *amf.ECMAArray:
			for _, m := range x.Members {
				walk(m.Value)
			}
		case *amf.Array:
			for _, m := range x.Assoc {
				walk(m.Value)
			}
			for _, e := range x.Dense {
				walk(e)
			}
		}
	}
	for i, v := range vs {
		before := n
		walk(v)
		if before == 0 && n > 0 {
			first = i
		}
	}
	return n, first
}
