package commands

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/amfcall/amfcall/client/safetext"
	"regexp"
	"strings"
	"unsafe"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

var convertCommand = &cli.Command{
	Name:      "convert",
	Usage:     "convert AMF to JSON and JSON to AMF",
	ArgsUsage: "[FILE]",
	Description: `Reads FILE (stdin when FILE is - or missing), guesses what it holds and
writes the other form to stdout (or to -o FILE):

  AMF packet, bare AMF0/AMF3 values, .sol file, FLV script tags,
      AMF Socket frames (one JSON line per frame)  ->  JSON
  JSON  ->  AMF packet when it is a packet object ({"messages": [...]}), a
      .sol file when it is {"sol": ..., "data": {...}}, an FLV file (script
      tags only) when it is {"flv": [...]}, else bare AMF3 values

The guess (-v prints it): JSON text; an AMF packet (version 0, 1 or 3 and a
body that decodes); a .sol file; an FLV file; hex or base64 text of any of
these; AMF Socket frames (4-byte lengths and AMF3 values filling the
input); else bare values, read as AMF3 unless --from amf0 or a .amf0 file
name says otherwise, or only AMF0 reads them. --from and --to override the
guesses. --to socket (or --to frames) writes JSON lines as AMF Socket frames, one per line,
and bare values one per value (AMF0 ones as AMF3). Without --to, an -o name ending in .json, .amf0, .amf3, .sol, .flv or
.frames (AMF Socket frames) asks for that form (a packet's JSON under a
.amf0 or .amf3 name is one object of its shape, with a warning).

A HAR file (what browsers' DevTools and proxies export; JSON with a
top-level log.entries, or --from har) prints one JSON line per AMF exchange
in it: {"n", "entry", "method", "url", "status", "request", "response"},
each body decoded (from base64 where the HAR holds it so), the URL's
password masked. A body the HAR did not keep, or kept as altered text, is
reported in "request_error" or "response_error" and on stderr (exit status
4), never guessed. Re-send the N-th with "amfcall call --from-har FILE#N".

Several bare values in a row become one JSON document per line, and JSON
lines become values in a row. The JSON forms are described in the JSON
mapping: plain by default, typed (lossless) with --typed. AMF bytes are not
written to a terminal unless you ask with "-o -".

Typed JSON tells a double from an integer by its text: 5.0 is a double, 5
an integer. jq 1.6 (and JavaScript) print 5.0 as 5, which then converts
back as an AMF3 integer; jq 1.7 keeps 5.0 as it was read. {"$double": 5} is
a double whatever prints it: jq '.price = {"$double": 5}'.

Malformed input fails with exit status 4 and the byte offset (AMF) or the
position (JSON) of the problem. An FLV file cut short inside an audio or
video tag is not: what was read before it is printed, with a warning, and
the exit status is 0.

Examples:

  amfcall convert reply.amf                     # packet -> JSON
  amfcall convert --typed reply.amf > reply.json
  amfcall convert reply.json -o reply.amf       # and back, byte for byte
  echo '{"a": [1, 2.5]}' | amfcall convert --to hex:amf3
  amfcall convert --from amf0 value.bin
  amfcall convert -v video.flv                  # onMetaData as JSON
  amfcall convert session.har                   # each AMF exchange of a HAR`,
	Flags: append([]cli.Flag{
		&cli.BoolFlag{Name: "pyamf-args", Category: catInput, DisableDefaultText: true,
			Usage: "read packet requests with PyAMF's AMF0 reference numbering, in which the argument array takes no slot (by default each request is read with the numbering that fits it: Flash's, PyAMF's, or Flash Player 9's as Red5 reads it, in which dates take a slot; -v says when it is not Flash's)"},
		&cli.StringFlag{Name: "from", Value: "auto", Category: catInput,
			Usage: "read the input as `FORMAT`: auto, json, packet, amf0, amf3, sol, flv, har, socket (AMF Socket frames; frames is the same); hex or base64 (text of bytes whose kind is guessed), or hex:FORMAT, base64:FORMAT"},
		&cli.StringFlag{Name: "to", Category: catOutput, DefaultText: "json for AMF input; packet or amf3 for JSON",
			Usage: "write `FORMAT`: json, amf0, amf3, packet, sol, flv or socket (AMF Socket frames; frames is the same); hex:FORMAT or base64:FORMAT write the bytes as text"},
		outputFlag(),
		verboseFlag("say on stderr what the input was taken for and what is written"),
	}, jsonFlags()...),
	Action: runConvert,
}

// parseFrom reads --from.
func parseFrom(s string) (convert.InSpec, error) {
	var in convert.InSpec
	rest := strings.ToLower(strings.TrimSpace(s))
	for _, e := range []convert.Encoding{convert.Hex, convert.Base64} {
		name := e.String()
		if rest == name {
			in.Encoding, in.EncodingSet, rest = e, true, ""
		} else if r, ok := strings.CutPrefix(rest, name+":"); ok {
			in.Encoding, in.EncodingSet, rest = e, true, r
		}
	}
	switch rest {
	case "", "auto":
	case "json":
		in.Kind, in.KindSet = convert.KindJSON, true
	case "packet":
		in.Kind, in.KindSet = convert.KindPacket, true
	case "amf0":
		in.Kind, in.KindSet, in.Version = convert.KindValue, true, amf.AMF0
	case "amf3":
		in.Kind, in.KindSet, in.Version = convert.KindValue, true, amf.AMF3
	case "sol":
		in.Kind, in.KindSet = convert.KindSOL, true
	case "flv":
		in.Kind, in.KindSet = convert.KindFLV, true
	case "har":
		in.Kind, in.KindSet = convert.KindHAR, true
	case "socket", "frames": // -o x.frames names them so, and the docs too
		in.Kind, in.KindSet = convert.KindSocket, true
	default:
		return in, usageErrorf("invalid --from value %q", s).
			hint("use auto, json, packet, amf0, amf3, sol, flv, har, socket, hex, base64, or hex:FORMAT / base64:FORMAT")
	}
	return in, nil
}

// parseTo reads --to.
func parseTo(s string) (convert.OutSpec, error) {
	var out convert.OutSpec
	rest := strings.ToLower(strings.TrimSpace(s))
	for _, e := range []convert.Encoding{convert.Hex, convert.Base64} {
		name := e.String()
		if rest == name {
			out.Encoding, rest = e, ""
		} else if r, ok := strings.CutPrefix(rest, name+":"); ok {
			out.Encoding, rest = e, r
		}
	}
	switch rest {
	case "", "json", "amf0", "amf3", "packet", "sol", "flv", "socket":
		out.Format = rest
	case "frames": // -o x.frames names them so, and the docs too
		out.Format = "socket"
	default:
		return out, usageErrorf("invalid --to value %q", s).
			hint("use json, amf0, amf3, packet, sol, flv or socket, or hex:FORMAT / base64:FORMAT for AMF bytes as text")
	}
	if out.Format == "json" && out.Encoding != convert.Raw {
		e := out.Encoding.String()
		return out, usageErrorf("--to %s: only AMF bytes can be written as %s", s, e).
			hint("use --to " + e + ":amf3, " + e + ":amf0 or " + e + ":packet")
	}
	return out, nil
}

func runConvert(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 1, "FILE"); err != nil {
		return err
	}
	in, err := parseFrom(c.String("from"))
	in.PyAMFArgs = c.Bool("pyamf-args")
	if err != nil {
		return err
	}
	if f := c.Args().First(); f != "" && f != "-" {
		in.HintArg = shellWord(f) // quoted as dump's hint quotes it
	}
	to, err := parseTo(c.String("to"))
	if err != nil {
		return err
	}
	if !c.IsSet("to") {
		// -o x.amf0, -o x.sol, -o x.flv, -o x.frames, -o x.json: the name
		// says the form.
		to.Format = convert.FormatOfName(c.String("output"))
	}
	// The JSON flags are read again once the output is known; check them
	// now, before waiting on the input.
	if _, err := jsonOptions(c, &output{env: envOf(c)}, 0); err != nil {
		return err
	}
	outPath := c.String("output")
	if err := checkNotInput(c, c.Args().First(), outPath); err != nil {
		return err
	}
	e := envOf(c)
	if to.Format != "" && to.Binary() && outPath == "" && e.isTerminal(e.stdout) {
		return refuseBinaryAs(to.Format) // before waiting on the input
	}

	if to.Format == "flv" && to.Encoding == convert.Raw {
		if err := checkFLVTarget(outPath); err != nil {
			return err // before reading the input
		}
	}
	postponeGC(e.getenv)
	if r, name, closeIn, ok := flvStreamInput(c, in); ok {
		defer closeIn()
		return convertFLVStream(c, r, name, in, to, outPath)
	}
	data, name, err := readInput(c, c.Args().First())
	if err != nil {
		return err
	}
	src, err := convert.Load(data, name, in)
	if src != nil && src.UTF16 {
		// UTF-16 text (PowerShell 5's >) was read as UTF-8 text, which
		// is the input from now on: the UTF-16 bytes, twice its size,
		// took input size + 100 MB for 95 MB of JSON (+ 64 MB is the
		// bound) while held.
		e.dropInput(data)
		data = src.Data
	}
	if src != nil && in.KindSet {
		src.How = "as --from says"
		if in.Kind == convert.KindValue {
			src.VersionWhy = "from --from"
		}
	}
	if src != nil && src.Misdecoded {
		warnf(c, "%s", misdecodedWarning(name))
	}
	if err == nil && len(src.Skipped) > 0 {
		warnf(c, "%s: %d bytes before the AMF packet, skipped: \"%s\"", src.Name, len(src.Skipped), safetext.Escape(string(src.Skipped), 160))
	}
	if err == nil {
		for f := src.Count; f != nil; f = f.Then {
			// (Both counts wrong: a warning each.)
			warnf(c, "%s: %s", src.Name, countWarning(f, len(src.Skipped), len(src.Data)))
		}
	}
	if err == nil && src.Kind == convert.KindHAR {
		return convertHAR(c, src, to, outPath)
	}
	var (
		buf    []byte
		out    *output
		opts   *convert.Options
		target convert.Target
	)
	if err == nil {
		target, err = src.Target(to)
	}
	if err == nil && !c.IsSet("to") && target.Format != "json" && src.Kind != convert.KindJSON && c.Bool("typed") {
		// convert --typed x.sol -o y.sol: the name chose the form, and
		// --typed (asked for JSON) would otherwise be dropped unsaid.
		warnf(c, "-o %s writes %s, as its name asks: --typed applies to JSON output; add --to json for typed JSON", outPath, target.Format)
	}
	if err == nil && !c.IsSet("to") && (outPath == "" || outPath == "-") && target.Format != "json" && src.Kind == convert.KindJSON && c.Bool("typed") {
		// cat reply.json | amfcall convert --typed | jq: JSON input is
		// written as AMF, and --typed (asked for JSON) was dropped unsaid
		// (-o FILE says what it wants).
		warnf(c, "--typed applies to JSON output: JSON input is converted to AMF (%s); add --to json for typed JSON", target.Format)
	}
	if err == nil && !c.IsSet("to") && src.Kind == convert.KindJSON && (target.Format == "amf0" || target.Format == "amf3") {
		// convert reply.json -o reply.amf0: the name asked for bare
		// values, and the packet's (or .sol's, FLV's) JSON was written
		// unsaid as one object of that shape, which reads back as the
		// same JSON but is no packet.
		kind := ""
		switch {
		case convert.IsPacketJSON(src.Data):
			kind, to.Format = "an AMF packet", "packet"
		case convert.IsSOLJSON(src.Data):
			kind, to.Format = "a .sol file", "sol"
		case convert.IsFLVJSON(src.Data):
			kind, to.Format = "an FLV file", "flv"
		}
		if kind != "" {
			warnf(c, "-o %s writes bare %s values, as its name asks: this JSON of %s is written as one %s object of its shape, not as %s; --to %s writes %s",
				outPath, strings.ToUpper(target.Format), kind, strings.ToUpper(target.Format), kind, to.Format, kind)
		}
	}
	if err == nil && target.Format != "json" {
		// convert --pretty x.json -o x.amf: the layout flags were
		// dropped unsaid, as --typed was before it got its warning.
		for _, f := range []string{"pretty", "compact"} {
			if c.Bool(f) {
				warnf(c, "--%s applies to JSON output: the output is AMF (%s)", f, target.Format)
			}
		}
	}
	if err == nil && target.Binary() && outPath == "" && e.isTerminal(e.stdout) {
		// The hint's hex is of what would be written (hex:sol for a
		// .sol file's JSON, not hex:amf3).
		err = refuseBinaryAs(target.Format)
	}
	if err == nil && !c.IsSet("to") && target.Format == "amf3" && target.Binary() && src.Kind == convert.KindJSON {
		err = checkFramesTarget(outPath)
	}
	if err == nil && target.Format == "flv" && target.Binary() && to.Format != "flv" {
		// Guessed from the JSON ({"flv": [...]}) with -o of another name.
		err = checkFLVTarget(outPath)
	}
	if err == nil {
		out, err = createOutput(c, outPath, target.Binary())
	}
	if out != nil {
		defer out.abort()
	}
	if err == nil {
		opts, err = jsonOptions(c, out, int64(len(data)))
	}
	if err == nil {
		// A file of its own (-o FILE) replaces its target only on
		// success: nothing of a failed conversion is ever seen there.
		opts.Discardable = out.tmp != nil
	}
	streamed := false
	if err == nil {
		// The direct paths write to the output as they go.
		streamed, err = src.RenderTo(out, target, opts)
	}
	if err == nil && !streamed {
		buf, err = src.Render(target, opts)
		if err != nil && len(buf) > 0 {
			// Past --max-output: the output up to it, as the streamed
			// paths write it, then the error (-o FILE drops it all).
			if _, werr := out.Write(buf); werr != nil {
				return fmt.Errorf("writing %s: %w", out.name(), werr)
			}
		}
	}
	if werr := out.writeError(); werr != nil {
		// The output failed (a full disk), not the input: the streamed
		// paths return it as a fault of what they read (exit 4, with a
		// hint to say what the input is).
		return werr
	}
	// What was read is known only now (bare values that AMF3 cannot read
	// are AMF0); say it before any error.
	if verbosity(c) > 0 && src != nil {
		size := fmt.Sprintf("%d bytes", len(data))
		if src.Encoding != convert.Raw {
			size = fmt.Sprintf("%d bytes of %s text, %d bytes decoded", len(data), src.Encoding, len(src.Data))
		}
		infof(c, "input: %s, %s: %s", src.Name, size, src.Describe())
		describeNumbering(c, src.Packet, in.PyAMFArgs)
		if err == nil {
			infof(c, "output: %s to %s", target.Describe(opts), out.name())
		}
	}
	if err != nil && src != nil && src.Kind == convert.KindSocket && src.Encoding == convert.Raw && !src.Dechunked &&
		(errors.As(err, new(*amf.FrameError)) || errors.As(err, new(*amf.FrameSizeError)) || errors.As(err, new(*amf.FrameLengthError))) {
		// Frames whose first length is longer than its value: the
		// error of a frame read from that length on (frame 2's bogus
		// length, or frame 1 "cut short") named no cause.
		if fe := amf.WrongFrameLength(src.Data); fe != nil {
			h := "amfcall dump --from socket shows the bytes"
			if arg := c.Args().First(); arg != "" && arg != "-" {
				h = "amfcall dump --from socket " + shellWord(arg) + " shows the bytes"
			}
			if fe.Frames || fe.Value > fe.Length {
				h = fmt.Sprintf("write the length at offset %d as %d (% x) and the frames read; ", fe.Offset, fe.Value, binary.BigEndian.AppendUint32(nil, uint32(fe.Value))) + h
			}
			return withCode(exitInput, fmt.Errorf("%s: %w", src.Name, fe)).hint(h)
		}
	}
	if h := textAfterPacketHint(err, src, c.Args().First()); h != "" && !in.KindSet {
		// (In place of the hint of a guess gone wrong.)
		return &exitError{code: exitInput, err: err, hints: []string{h}}
	}
	if err != nil && hexDumpLine.Match(data) {
		return withHint(err, hexDumpHint(c, data, "convert"))
	}
	if err != nil && odListing.Match(data) {
		// Read as hex text (not "read as bare AMF3 values"), or, when
		// the offsets made its digits odd in number, as JSON ("0
		// after top-level value").
		return withCode(exitInput, err).hint(odListingHint("convert"))
	}
	if from := c.String("from"); err != nil && (from == "amf0" || from == "amf3" || from == "packet") &&
		oddHex.Match(data) && countHex(data)%2 == 0 {
		// Bytes that are all hex digits, read as binary AMF.
		return withHint(err, fmt.Sprintf("the input is hex text: read it with --from hex:%s", from))
	}
	if from := c.String("from"); err != nil && in.KindSet && !in.EncodingSet && in.Kind != convert.KindJSON && in.Kind != convert.KindHAR {
		// JSON given with --from sol (or amf0...): the JSON of one, to
		// be written as one. No AMF, .sol, FLV or frames start with
		// { or [ (0x7B and 0x5B are no markers, and frames that long
		// are over the limit); white space before them may be AMF3
		// (0x09 an array, 0x0A an object), unless all is JSON.
		t := bytes.TrimPrefix(data, []byte("\ufeff"))
		t = bytes.TrimLeft(t, " \t\r\n")
		if len(t) > 0 && (t[0] == '{' || t[0] == '[') && (len(t) == len(data) || json.Valid(data)) {
			to := from
			if to == "frames" {
				to = "socket"
			}
			return withHint(err, fmt.Sprintf("the input is JSON text, which --from %s does not read: leave --from out, and --to %s writes %s from it", from, to, fromWhat(from)))
		}
	}
	if err != nil && src != nil && src.Kind == convert.KindJSON && src.Encoding == convert.Raw {
		// JSON written as Python prints it (PyAMF's data): None, True,
		// 'single quotes'. The input is read in place, not copied (a
		// string(data) copy took as much memory again as the input: a
		// 300 MB string over the AMF3 limit peaked at 628 MB); the hint
		// keeps no part of it.
		if h := foreignLiteralHint(err, unsafe.String(unsafe.SliceData(data), len(data))); h != "" {
			return withHint(err, h)
		}
	}
	if h := textNotJSONHint(err, src, in.KindSet, data); h != "" {
		return withHint(err, h)
	}
	saidJSON := in.KindSet && in.Kind == convert.KindJSON && !in.EncodingSet // --from json: not hex
	if err != nil && errors.As(err, new(*convert.Error)) && oddHex.Match(data) && countHex(data)%2 == 1 && !jsonNumber.Match(data) && !saidJSON {
		return withHint(err, fmt.Sprintf("if this is hex, it has an odd number of digits (%d): one is missing or one too many", countHex(data)))
	}
	if err != nil {
		return err
	}
	if !streamed {
		if _, err := out.Write(buf); err != nil {
			return fmt.Errorf("writing %s: %w", out.name(), err)
		}
	}
	return out.commit()
}

// longFrameHint is, for frames whose first length is longer than its
// value ([amf.LongFirstFrame]), the hint that says so, for dump's error,
// which names where reading from that length on failed; "" otherwise.
func longFrameHint(src *convert.Source) string {
	if src == nil || src.Encoding != convert.Raw || src.Dechunked {
		return ""
	}
	fe := amf.WrongFrameLength(src.Data)
	if fe == nil {
		return ""
	}
	if !fe.Frames && fe.Value < fe.Length {
		return fmt.Sprintf("frame %d's length says %d bytes, but its value is whole in %d, where the input ends: the length is wrong, or the capture was cut after the value", fe.Frame, fe.Length, fe.Value)
	}
	return fmt.Sprintf("frame %d's length at offset %d says %d bytes, but its value is whole in %d, and %s offset %d: the length is wrong; written as %d (% x), the frames read",
		fe.Frame, fe.Offset, fe.Length, fe.Value, map[bool]string{true: "frames follow from", false: "the input ends at"}[fe.Frames], fe.Offset+4+fe.Value, fe.Value, binary.BigEndian.AppendUint32(nil, uint32(fe.Value)))
}

// textAfterPacketHint is the hint of a packet that decodes whole and is
// followed by more bytes: text a PHP gateway printed after it (a closing
// "?>", a shutdown notice), or another file's bytes. The hint of a
// packet that does not decode, "if it is a bare value, add --from amf3",
// misled there: the packet is whole, and the hint names what follows it
// and how to keep the packet alone. Reply bodies after it that its
// message count leaves out ([amf.Recount]) get the count's hint instead.
func textAfterPacketHint(err error, src *convert.Source, arg string) string {
	var te *amf.TrailingDataError
	if err == nil || src == nil || src.Kind != convert.KindPacket || !errors.As(err, &te) ||
		te.Offset <= 0 || te.Offset >= int64(len(src.Data)) {
		return ""
	}
	if fix := amf.CountFixOf(src.Data); fix != nil && fix.Messages && fix.Found > fix.Said {
		// The bytes after are reply bodies the message count leaves
		// out (a batch's first answer counted alone), not text: head
		// -c would drop them.
		return countHint(fix)
	}
	skip := len(src.Skipped)
	where := fmt.Sprintf("the first %d bytes", te.Offset)
	if skip > 0 {
		where = fmt.Sprintf("the %d bytes after the %d bytes of text before it", te.Offset, skip)
	}
	what := "text a PHP gateway printed after the packet, such as a closing ?>, or another file's bytes"
	h := fmt.Sprintf("the AMF packet is whole in %s; the %d bytes after it are no AMF (\"%s\": %s)",
		where, te.N, safetext.Escape(string(src.Data[te.Offset:]), 60), what)
	// A body de-chunked (convert.DechunkHTTP): its offsets are not the
	// file's, whose chunk size lines head and tail would keep.
	if src.Encoding == convert.Raw && !src.UTF16 && !src.Dechunked && arg != "" && arg != "-" && !windowsShell {
		keep := fmt.Sprintf("head -c %d %s", te.Offset, shellWord(arg))
		if skip > 0 {
			keep = fmt.Sprintf("head -c %d %s | tail -c %d", int64(skip)+te.Offset, shellWord(arg), te.Offset)
		}
		h += "; " + keep + " > packet.amf keeps the packet alone"
	}
	return h
}

// fromWhat names what --from FORMAT reads, for a hint.
func fromWhat(from string) string {
	switch from {
	case "amf0", "amf3":
		return "bare " + strings.ToUpper(from) + " values"
	case "packet":
		return "an AMF packet"
	case "sol":
		return "a .sol file"
	case "flv":
		return "an FLV file"
	}
	return "AMF Socket frames"
}

// textNotJSONHint is the hint of guessed JSON that fails on its first
// line after a bare number, true, false or null: text such as a saved
// error page ("400 Bad Request ...", what PyAMF answers a request it
// cannot read), which the guess took for JSON by its first character.
// dump says "this is text, not AMF" of the same bytes; convert said only
// "json: invalid character 'B' ... at line 1, column 5".
func textNotJSONHint(err error, src *convert.Source, fromSet bool, data []byte) string {
	var je *convert.Error
	if err == nil || src == nil || fromSet || src.Kind != convert.KindJSON || src.Encoding != convert.Raw ||
		!errors.As(err, &je) || je.Err == nil || je.Line != 1 || !strings.Contains(je.Err.Error(), "looking for beginning of value") ||
		je.Offset < 1 || je.Offset > int64(len(data)) || (data[je.Offset-1] != ' ' && data[je.Offset-1] != '\t') {
		// (A word after the value and a blank: "12e" or "12x" is a
		// number gone wrong, not text.)
		return ""
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 || !strings.ContainsRune("-0123456789tfn", rune(t[0])) {
		return ""
	}
	return fmt.Sprintf("it reads as text, not JSON: %q (a saved error page?); convert reads AMF, JSON, or hex or base64 text of AMF", textStart(data))
}

// hexDumpHint is the hint of input that is an xxd, hexdump -C or
// Wireshark listing: the command to turn it back into bytes, with the
// file's name. xxd's "00000000: 0a0b 0109" reverses with xxd -r;
// hexdump -C's "00000000  0a 0b 01 09 ...  |...|" (which xxd -r
// misreads) holds its hex digits in columns 11 to 59, and Wireshark's
// "Copy as Hex Dump", "0000   0a 0b 01 09 ...   ....", in columns 8 to
// 54: cut keeps the 48 columns from the first digit, which amfcall
// reads as hex text. Windows has neither xxd nor cut: there the hint is
// PowerShell's, keeping the same columns of each line (for xxd, those
// of its first line's hex, up to the two blanks before its text).
func hexDumpHint(c *cli.Context, data []byte, cmd string) string {
	m := hexDumpLine.FindSubmatchIndex(data)
	if windowsShell && m != nil {
		start := bytes.LastIndexByte(data[:m[1]], '\n') + 1
		from := m[1] - 2 - start // the first digit's index in its line
		width := 49
		if data[m[2]] == ':' {
			line, _, _ := bytes.Cut(data[start+from:], []byte("\n"))
			hex, _, _ := bytes.Cut(bytes.TrimRight(line, "\r"), []byte("  "))
			width = len(bytes.TrimRight(hex, " "))
		}
		keep := fmt.Sprintf("ForEach-Object { $_.PadRight(%d).Substring(%d, %d) }", from+width, from, width)
		read := "... | " + keep
		if f := c.Args().First(); f != "" && f != "-" {
			read = "Get-Content -LiteralPath " + shellWord(f) + " | " + keep
		}
		return fmt.Sprintf("this looks like a hex dump with offsets (xxd, hexdump -C): in PowerShell, %s | amfcall %s reads its bytes", read, cmd)
	}
	undo := pipedCommand(c, "xxd -r")
	if m != nil && data[m[2]] != ':' {
		from := m[1] - 2 - bytes.LastIndexByte(data[:m[1]], '\n') // the first digit's column, from 1
		undo = pipedCommand(c, fmt.Sprintf("cut -c %d-%d", from, from+48))
	}
	return fmt.Sprintf("this looks like a hex dump with offsets (xxd, hexdump -C): %s | amfcall %s reads its bytes", undo, cmd)
}

// odListing matches the start of what od -tx1 (or od -x, or hexdump
// without -C) lists: an offset of zeros, a blank, bytes (or 16-bit words),
// then a line that starts with the next offset (after od's "*" for
// lines repeated). It reads as hex text with the offsets among the
// bytes, which fails or means nothing.
var odListing = regexp.MustCompile(`^0{6,7} [0-9a-fA-F]{2}[0-9a-fA-F ]*\r?\n(\*\r?\n)?[0-9a-fA-F]{6,7}(\s|$)`)

// odListingHint is the hint of an od or hexdump listing read as hex text.
func odListingHint(cmd string) string {
	return "this looks like od or hexdump output, whose offsets were read as bytes (and od -x and hexdump swap the bytes of each pair): od -An -tx1 -v FILE | amfcall " + cmd +
		" reads the bytes alone (-An leaves out the offsets; -v keeps repeated lines, which od writes as *)"
}

// hexDumpLine matches the first line of an xxd, hexdump -C or Wireshark
// listing: an offset, then hex digits ("00000000: 0a00 0000",
// "00000000  0a 00", "0000   0a 00").
var hexDumpLine = regexp.MustCompile(`^\s*[0-9a-fA-F]{4,}(:[ \t]+|  +)[0-9a-fA-F]{2}`)

// oddHex matches text of hex digits (and white space) only, which is
// read as hex unless its digits are odd in number.
var oddHex = regexp.MustCompile(`^\s*[0-9a-fA-F][0-9a-fA-F\s]*$`)

// jsonNumber matches a lone JSON number (1e400, out of a double's range):
// its error is the number's, whatever its digits would be as hex.
var jsonNumber = regexp.MustCompile(`^\s*(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*$`)

// countHex counts the hex digits of b; oddHex matched it.
func countHex(b []byte) int {
	n := 0
	for _, c := range b {
		if c > ' ' {
			n++
		}
	}
	return n
}

// describeNumbering says how the AMF0 references of each request message
// were numbered when it is not Flash's way, the default (players
// disagree, see amf.Message), and which values refer to AMF3 strings or
// traits across 0x11 switches.
func describeNumbering(c *cli.Context, p *amf.Packet, asked bool) {
	if p == nil {
		return
	}
	for i := range p.Headers {
		if h := &p.Headers[i]; h.CrossEscapeRefs {
			infof(c, "header %d (%s): AMF3 strings or traits referred to across 0x11 switches (written back the same way)", i, h.Name)
		}
	}
	for i := range p.Messages {
		if m := &p.Messages[i]; m.CrossEscapeRefs {
			infof(c, "message %d (%s): AMF3 strings or traits referred to across 0x11 switches (written back the same way)", i, m.Target)
		}
	}
	for i := range p.Messages {
		m := &p.Messages[i]
		if !m.IsRequest() {
			continue
		}
		why := ", as --pyamf-args asks"
		switch {
		case asked:
		case m.UnregisteredArgs || m.DateRefs:
			why = " (Flash's numbering does not fit: a reference unresolved, or an argument list that contains itself)"
		default:
			continue // Flash's, the default
		}
		infof(c, "message %d (%s): AMF0 references numbered as %s%s", i, m.Target, m.Numbering(), why)
	}
}

// checkNotInput refuses -o naming the input file itself (or a link to
// it, or the file the shell gave as standard input when in is "" or "-"):
// the output would replace the input whole, and a conversion or a dump
// cannot be undone.
func checkNotInput(c *cli.Context, in, out string) error {
	if !envOf(c).sameFile(in, out) {
		return nil
	}
	what := "the input file"
	if in == "" || in == "-" {
		what = "the file on standard input"
	}
	return usageErrorf("-o %s is %s: the %s output would replace it", out, what, c.Command.Name).
		hint("write to another file (and rename it if that is what you want)")
}

// misdecodedWarning is the warning for UTF-16 input whose text looks like
// UTF-8 read as an OEM code page (convert.Misdecoded): what Windows
// PowerShell 5's > makes of a program's output.
func misdecodedWarning(name string) string {
	return name + " is UTF-16 text whose characters outside ASCII look like UTF-8 read as code page 437 or 850, as " +
		"Windows PowerShell 5's > reads a program's output before writing it: they are read as they are now " +
		"(\"Ã©\" and such), not as the program wrote them; write the file with -o FILE rather than >"
}
