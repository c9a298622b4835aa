package commands

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/fatih/color"
	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/readbuf"
)

var dumpCommand = &cli.Command{
	Name:      "dump",
	Usage:     "explain every byte of AMF input: offsets, hex and what each range means",
	ArgsUsage: "[FILE]",
	Description: `Reads FILE (stdin when FILE is - or missing) and prints each byte range
with its offset, its hex and what it means, indented by nesting: markers,
U29 values and their flags (inline or a reference, and which table entry a
reference points to), string, object and trait references, trait
definitions, lengths and counts against what follows, the 0x11 switch to
AMF3, each packet header and message with its target and length.

The input is guessed as convert guesses it (an AMF packet, whole or cut
short, a .sol file, an FLV file, hex or base64 text of any of these, else
bare AMF3 values, or AMF0 when only AMF0 reads them); --from says what it
is. A packet after text (a saved reply with a PHP notice before it) is
dumped from its first byte, guessed or with --from packet, and a warning
gives the text and where the packet starts: the offsets count from there. Ranges longer than 32 bytes show their first 32
bytes of hex unless --all is given.

An FLV file is explained as it is read, a tag at a time, so that memory
does not grow with it: given by name, on stdin from a file, or (for the
text dump) from a pipe. Other input from a pipe over a MiB (and an FLV
for the JSON dump, whose document starts with the input's size) is first
copied to a temporary file in $TMPDIR, removed at once, and dumped from
there as a named file is, its pages let go as the dump moves on: memory
does not grow with the input, and the dump starts when the pipe ends.

On malformed input the dump goes up to the fault, prints the error at its
offset and the bytes left unread, and exits with status 4.
--format json writes one JSON document: {"input", "size", "ranges":
[{"offset", "length", "depth", "class", "hex", "text", "path"}], "error":
{"offset", "message"}}; the ranges cover the input exactly, in order (one
range per line on a terminal, the whole document on one line in a pipe or
a file; --pretty or --compact force either, and imply --format json).
Text skipped before a packet is "skipped": N, after "size": the ranges
then cover the packet, the input's N bytes on, as their offsets count.
"path" is the JSON pointer of the value a range belongs to, as errors name
it ("/messages/0/value/1/name"; "" for a bare value itself; in AMF Socket
frames "/N" and the pointer in frame N, counted from 1 as the text and
convert's warnings count frames: "/3/body" is convert's JSON line 3's
"/body"; in an FLV file the pointer in convert's JSON of it, the K-th
script tag counted from 0: "/flv/K/name" for its handler name,
"/flv/K/value/..." and "/flv/K/extra/N/..." for the values after it),
cut at 1024 bytes (ending in "...", as errors' paths are: the ranges under
a cut path have that path); ranges of no value (a .sol or FLV header, a
frame's length, an FLV tag's header, audio or video data, the fault) have
none. A member name that is not UTF-8 is named in paths as convert's plain
JSON prints it, decoded with --charset (default windows-1252), so that the
path names the member in convert's output of the same bytes; the text
dump and each range's "text" show its bytes as they are.

Examples:

  amfcall dump request.amf
  amfcall dump --from amf0 value.bin
  echo 0a0b010361040201 | amfcall dump        # hex text of an AMF3 object
  amfcall dump --format json reply.amf | jq '.ranges[] | select(.class == "ref")'
  amfcall dump --format json req.amf | jq -r '.ranges[] | select(.path == "/messages/0/value/0") | .hex'`,
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "pyamf-args", Category: catInput, DisableDefaultText: true,
			Usage: "read packet requests with PyAMF's AMF0 reference numbering, in which the argument array takes no slot (by default each request is read with the numbering that fits it, as convert reads it: Flash's, PyAMF's, or Flash Player 9's as Red5 reads it, in which dates take a slot; the value's line says when it is not Flash's)"},
		&cli.StringFlag{Name: "from", Value: "auto", Category: catInput,
			Usage: "read the input as `FORMAT`: auto, packet, amf0, amf3, sol, flv, socket (AMF Socket frames), frames (the same); hex or base64 (text of bytes whose kind is guessed), or hex:FORMAT, base64:FORMAT"},
		&cli.StringFlag{Name: "format", Value: "text", Category: catOutput,
			Usage: "write `FORMAT`: text (for people) or json (one document, for tools)"},
		&cli.BoolFlag{Name: "pretty", Category: catOutput, DisableDefaultText: true,
			Usage: "lay the JSON out one range per line (the default on a terminal); implies --format json"},
		&cli.BoolFlag{Name: "compact", Category: catOutput, DisableDefaultText: true,
			Usage: "write the JSON on one line (the default in a pipe or a file); implies --format json"},
		&cli.BoolFlag{Name: "all", Aliases: []string{"a"}, Category: catOutput, DisableDefaultText: true,
			Usage: "show the hex of every byte, not the first 32 of each long range"},
		&cli.StringFlag{Name: "charset", Category: catOutput, Value: convert.DefaultCharset,
			Usage: "name members whose names are not UTF-8 in the JSON dump's paths as `CHARSET` text, as convert's plain JSON decodes them (same names and default as convert --charset); the text dump keeps their bytes"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Category: catOutput, TakesFile: true,
			Usage: "write to `FILE` instead of stdout, atomically (FILE appears whole or not at all; malformed input's dump, up to the fault, is written too, with exit status 4); \"-o -\" is stdout"},
		&cli.StringFlag{Name: "max-output", Category: catOutput, Value: "", DefaultText: "1000 times the input, at most 1G, or 8 times an input over 128M",
			Usage: "stop the dump past `SIZE` bytes (K, M, G suffixes), with exit status 4 (-o FILE is then not written): each byte range is written with its text and path, and a name or string sent by reference is shown at each use, so a small input can explode"},
	},
	Action: runDump,
}

func runDump(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 1, "FILE"); err != nil {
		return err
	}
	// -o '' wrote to stdout, and dump "$F" with F unset read stdin and
	// said "stdin: the input is empty" (exit 4): the name was empty.
	if c.NArg() == 1 && c.Args().First() == "" {
		return usageErrorf("FILE: the file name is empty").hint("was a shell variable empty? give a file name, or - (or nothing) for stdin")
	}
	in, err := parseFrom(c.String("from"))
	if err != nil {
		// parseFrom's hint lists convert's formats, json and har among
		// them, which dump refuses.
		return usageErrorf("invalid --from value %q", c.String("from")).
			hint("use auto, packet, amf0, amf3, sol, flv, socket, hex, base64, or hex:FORMAT / base64:FORMAT")
	}
	if in.KindSet && in.Kind == convert.KindJSON {
		return fromJSONRefused(c)
	}
	if in.KindSet && in.Kind == convert.KindHAR {
		// --from har is convert's: it had the input called a HAR file,
		// whatever it held.
		return usageErrorf("dump reads AMF, not HAR files (--from har is convert's)").
			hint("dump a HAR file's N-th AMF request: amfcall call --offline --from-har " + inputArg(c) + "#N --save-request req.amf, then amfcall dump req.amf")
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return usageErrorf("invalid --format value %q", format).hint("use --format text or --format json")
	}
	// cli.md: JSON is indented on a terminal and compact in a pipe,
	// --pretty and --compact forcing either (dump's indented layout is
	// a range per line); as for bench, either asks for JSON.
	pretty, compact := c.Bool("pretty"), c.Bool("compact")
	switch {
	case pretty && compact:
		return usageErrorf("--pretty can't be used with --compact")
	case (pretty || compact) && c.IsSet("format") && format == "text":
		return usageErrorf("--pretty and --compact lay out JSON, not --format text").
			hint("drop --format text, or give --format json")
	case pretty || compact:
		format = "json"
	}
	maxOut, err := dumpMaxOutput(c)
	if err != nil {
		return err
	}
	names, err := dumpNames(c)
	if err != nil {
		return err
	}
	if c.IsSet("charset") && format == "text" {
		// The text dump shows a name's bytes ("caf\xe9"): a charset
		// given for it would change nothing, silently.
		warnf(c, "--charset names members in the JSON dump's paths only; the text dump shows a name's bytes as they are (add --format json to see the paths)")
	}
	if err := checkNotInput(c, c.Args().First(), c.String("output")); err != nil {
		return err
	}
	if r, size, name, closeIn, ok := flvDumpInput(c, in, format); ok {
		defer closeIn()
		return dumpFLVStream(c, r, size, name, format, maxOut, names)
	}
	data, name, err := readDumpInput(c, c.Args().First())
	if err != nil {
		return err
	}
	// A mapped input (a named file, or a pipe copied to a temporary
	// file) is read front to back: its pages are given back as the dump
	// goes, so that resident memory does not grow with it. A page given
	// back comes back as the file has it: an input that Load writes
	// into (an HTTP body in chunks is de-chunked in place, a JSON
	// text's byte order mark blanked) is given back no more (a page
	// given back read the chunk lines again: a chunked capture of 20 MB
	// gave exit 4, "invalid marker 0x48 at offset 0"). A packet's wrong
	// count is not written into it (amf.DecMode.WithCount).
	release := envOf(c).releaseMapped(dumpReleaseEvery)
	defer func() { release() }()
	// Where --from says what the input is, Load is told it holds bare
	// values: it then only removes the text wrapping and checks for
	// emptiness, and does not decode a packet, .sol or FLV file first
	// (the dump reads them itself, and a decoded value can take many
	// times the input's size in memory).
	said := in
	if in.KindSet && in.Kind != convert.KindJSON {
		said.Kind = convert.KindValue
	}
	// Guessing, a .sol file (by its header, as convert guesses first) or
	// a packet that decodes (told without building its values, which
	// take many times the input's size: 1.5 GB for a packet of 100 MB)
	// is known here; Load is then told it holds values, as for --from.
	guess := convert.KindValue
	if !in.KindSet && !in.EncodingSet && dumpGuessKind {
		switch {
		case amf.IsSOL(data):
			guess = convert.KindSOL
		case len(data) >= 6 && amf.StartsPacket(data) && amf.PacketDecodes(data):
			guess = convert.KindPacket
		}
		if guess != convert.KindValue {
			said.Kind, said.KindSet = convert.KindValue, true
		}
	}
	if convert.ChunkedHTTP(data) {
		release() // Load de-chunks it in place
		release = func() {}
	}
	src, err := convert.Load(data, name, said)
	if src == nil {
		return err
	}
	if src.Kind == convert.KindJSON {
		release() // its byte order mark blanked
		release = func() {}
	}
	if in.KindSet && src.Kind == convert.KindValue && in.Kind != convert.KindValue {
		src.Kind = in.Kind
	}
	if in.KindSet && in.Kind == convert.KindPacket {
		// Text before it (a PHP notice) is skipped as the guess, convert
		// and call skip it, and said below; the packet, whole or cut
		// short, is dumped from its first byte (its error is the dump's).
		_, _ = src.SkipTextBeforePacket(c.Bool("pyamf-args"))
	}
	if guess != convert.KindValue {
		src.Kind = guess
	}
	src.Packet, src.FLV, src.SOL = nil, nil, nil // not needed: let them go
	if n := len(src.Skipped); n > 0 {
		// A saved reply with a PHP notice before its packet: the dump
		// explains the packet, whose offsets are not the file's.
		warnf(c, "%s: %d bytes before the AMF packet, skipped: \"%s\"; the offsets below count from the packet's first byte, at offset %d (0x%x) of the input",
			src.Name, n, safetext.Escape(string(src.Skipped), 160), n, n)
	}
	var what amf.DumpInput
	switch src.Kind {
	case convert.KindEmpty:
		return err
	case convert.KindHAR:
		// A HAR converts to JSON lines only: its requests' bytes come
		// out one at a time.
		return withCode(exitInput, fmt.Errorf("%s: this is a HAR file (JSON text), not AMF", src.Name)).
			hint("dump its N-th AMF request: amfcall call --offline --from-har " + inputArg(c) + "#N --save-request req.amf, then amfcall dump req.amf").
			hint("amfcall convert " + inputArg(c) + " shows each exchange decoded")
	case convert.KindJSON:
		if !startsAsJSON(src.Data) {
			// Text that begins like JSON (a number: "400 Bad
			// Request", a saved error page) is no JSON either.
			e := withCode(exitInput, fmt.Errorf("%s: this is text, not AMF: %q", src.Name, textStart(src.Data)))
			if hexDumpLine.Match(src.Data) {
				// A listing pasted from xxd, a proxy or a packet
				// capture tool: convert says so; dump did not.
				return e.hint(hexDumpHint(c, src.Data, "dump"))
			}
			if odListing.Match(src.Data) {
				// od -tx1 or hexdump whose offsets made its hex
				// digits odd in number: read as JSON, not hex.
				return e.hint(odListingHint("dump"))
			}
			return e.hint("dump reads AMF: a packet, bare values, a .sol or FLV file, or hex or base64 text of them")
		}
		// --to packet would refuse JSON that is not {"messages": ...}:
		// the guess makes a packet of that and bare AMF3 of the rest.
		return withCode(exitInput, fmt.Errorf("%s: this is JSON text, not AMF", src.Name)).
			hint("convert it to AMF first: amfcall convert " + inputArg(c) + " | amfcall dump")
	case convert.KindSocket:
		what = amf.DumpFrames
	case convert.KindPacket:
		what = amf.DumpPacket
	case convert.KindSOL:
		what = amf.DumpSOL
	case convert.KindFLV:
		what = amf.DumpFLV
	case convert.KindValue:
		if len(src.Data) == 0 {
			return err
		}
		if !in.KindSet {
			// Guessed bare values that start as a file of another
			// kind (a body saved gzip-compressed, an image, the .swf):
			// said as convert says it, not dumped as a marker error
			// at byte 0.
			arg := ""
			if f := c.Args().First(); f != "" && f != "-" {
				arg = shellWord(f)
			}
			if fe := convert.ForeignError(src.Data, src.Name, arg, "dump"); fe != nil {
				return fe
			}
		}
		// AMF3 unless asked otherwise or only AMF0 reads the values
		// (read with the token Reader: nothing is built).
		_ = src.WithValues(func(v amf.Version) error {
			r := amf.NewReader(src.Data, v)
			for {
				if err := r.Skip(); err != nil {
					if err == io.EOF {
						return nil
					}
					return err
				}
			}
		})
		what = amf.DumpAMF3
		if src.Version == amf.AMF0 {
			what = amf.DumpAMF0
		}
	}
	out, err := createOutput(c, c.String("output"), false)
	if err != nil {
		return err
	}
	defer out.abort()
	mode, err := amf.DecOptions{UnregisteredArgs: c.Bool("pyamf-args")}.DecMode()
	if err != nil {
		return err
	}
	// A saved reply whose header or message count the gateway wrote
	// wrong is dumped as its bytes say, as call reads it: the count's
	// row is marked, and every header and body follows.
	var opts []amf.DumpOption
	if fix := dumpCount(mode, src, guess == convert.KindPacket); fix != nil {
		opts = append(opts, amf.DumpCount(fix))
		for _, w := range fix.Warnings(len(src.Skipped), len(src.Data)) {
			warnf(c, "%s: %s; dumped as such", src.Name, w) // (both counts wrong: one each)
		}
	}
	limit := maxOut
	if limit == 0 {
		limit = dumpDefaultMaxOutput(int64(len(data)))
	}
	w := convert.LimitDumpOutput(out, func() int64 { return limit })
	var cuts *dumpCuts // the text dump's
	// The dump is written as it is found: memory does not grow with it.
	if format == "json" {
		// A line per range on a terminal, one line in a pipe.
		// "skipped" gives the text's length: the ranges cover the
		// packet, and their offsets count from its first byte.
		err = mode.WriteDumpJSON(w, src.Data, what, dumpLines(c, out), append(opts, names, amf.DumpSkipped(int64(len(src.Skipped))))...)
	} else {
		var p *amf.DumpPalette
		e := envOf(c)
		if out.stdout() && e.colorOn(e.colorMode, e.stdout) {
			p = dumpPalette()
		}
		cuts = &dumpCuts{Writer: w}
		err = mode.WriteDumpText(cuts, src.Data, what, p, c.Bool("all"), opts...)
	}
	if lerr := dumpLimitError(src.Name, err); lerr != nil {
		return lerr
	}
	var se *amf.SyntaxError
	var te *amf.TrailingDataError
	fault := errors.As(err, &se) || errors.As(err, &te)
	if err != nil && !fault {
		return out.failed(err)
	}
	if cerr := out.commit(); cerr != nil {
		return cerr
	}
	cuts.note(c) // once the dump is written
	if fault {
		err = fmt.Errorf("%s: %w", src.Name, err)
		switch {
		case src.Encoding == convert.Hex && odListing.Match(data):
			return withCode(exitInput, err).hint(odListingHint("dump"))
		case src.Kind == convert.KindValue && se != nil:
			return src.ValueError(err)
		case src.Kind == convert.KindSocket && longFrameHint(src) != "":
			return withCode(exitInput, err).hint(longFrameHint(src))
		case src.Kind == convert.KindPacket && !in.KindSet:
			if h := textAfterPacketHint(err, src, c.Args().First()); h != "" {
				return withHint(err, h)
			}
			if fix := amf.CountFixOf(src.Data); fix != nil {
				return withHint(err, countHint(fix))
			}
			return withHint(err, packetHint(err))
		case src.Kind == convert.KindPacket:
			// --from packet: only a wrong count has something to say.
			if fix := amf.CountFixOf(src.Data); fix != nil {
				return withHint(err, countHint(fix))
			}
		}
		return err
	}
	return nil
}

// dumpCuts is the writer of a text dump, told of each range whose hex
// the dump cut to its first 32 bytes ("... N more bytes"): the dump then
// says once, on stderr, how to see every byte (the library cannot name
// the flag).
type dumpCuts struct {
	io.Writer
	n int64
}

func (w *dumpCuts) DumpCut(amf.DumpRange) { w.n++ }

// note says, when ranges were cut, how to see them whole (nothing for
// the JSON dump, a nil w).
func (w *dumpCuts) note(c *cli.Context) {
	switch {
	case w == nil:
	case w.n == 1:
		infof(c, "1 range longer than 32 bytes shows its first 32 bytes of hex (\"... N more bytes\"): --all shows every byte")
	case w.n > 1:
		infof(c, "%d ranges longer than 32 bytes show their first 32 bytes of hex (\"... N more bytes\"): --all shows every byte", w.n)
	}
}

// dumpLines reports whether the JSON dump is laid out a range per line:
// with --pretty, or on a terminal unless --compact is given.
func dumpLines(c *cli.Context, out *output) bool {
	return c.Bool("pretty") || !c.Bool("compact") && out.terminal()
}

// startsAsJSON reports whether the first 64 KiB of data read as JSON
// tokens (a value cut at 64 KiB counts): convert's guess takes text that
// starts with a digit or a bracket for JSON.
func startsAsJSON(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data[:min(len(data), 64<<10)]))
	for {
		_, err := dec.Token()
		switch {
		case err == io.EOF:
			return true
		case err != nil:
			var se *json.SyntaxError
			return !errors.As(err, &se)
		}
	}
}

// textStart is the start of text input, on one line, for a message.
func textStart(data []byte) string {
	s := oneLineText(string(data[:min(len(data), 200)]))
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "..."
	}
	return s
}

// dumpCount is the count of src's packet that the gateway wrote wrong,
// to dump as the bytes say (amf.DumpCount), when the packet decodes with
// it made right; nil otherwise, or when the packet decodes as it is
// (decodes). Load read it so (convert.Source.Count).
func dumpCount(mode *amf.DecMode, src *convert.Source, decodes bool) *amf.CountFix {
	if src.Count != nil {
		return src.Count
	}
	if decodes || src.Kind != convert.KindPacket {
		return nil
	}
	fix := mode.CountFixOf(src.Data)
	if fix == nil {
		return nil
	}
	// (Read with the count made right in the decoder: src.Data, which
	// may be a private mapping of the user's file whose pages
	// dumpspool gives back, is not written to.)
	if !mode.WithCount(fix).PacketDecodes(src.Data) {
		return nil
	}
	return fix
}

// dumpGuessKind lets dump tell a .sol file or a packet itself (a
// variable for the test that holds it to Load's guess).
var dumpGuessKind = true

// flvDumpInput returns the input, when it is an FLV file (by its first
// bytes, or as --from flv says) in a regular file, named or on stdin, as
// a reader of its bytes and their count, so that dump can explain it
// tag by tag instead of reading it whole (a video's FLV is hundreds of
// MB). From a pipe, the text dump streams too, with a size of -1 (its
// text needs no size; the bytes left after a fault are counted when it
// gets there); the JSON dump, which starts with the input's size, reads
// a pipe through a temporary file (readDumpInput). An FLV header claiming more than a MiB is
// read whole too (the stream's window holds the header). Otherwise ok
// is false, and what was read to look is read again by readInput.
func flvDumpInput(c *cli.Context, in convert.InSpec, format string) (r io.Reader, size int64, name string, closeIn func(), ok bool) {
	if in.EncodingSet || in.KindSet && in.Kind != convert.KindFLV {
		return nil, 0, "", nil, false
	}
	e := envOf(c)
	name = c.Args().First()
	var f *os.File
	var off int64
	if name == "" || name == "-" {
		if e.stdinTaken != "" {
			return nil, 0, "", nil, false
		}
		sf, isFile := e.stdin.(*os.File)
		pos, err := int64(0), errors.New("not a file")
		if isFile {
			// (Seek alone does not tell: on Windows it may succeed on a
			// pipe.)
			if st, serr := sf.Stat(); serr == nil && st.Mode().IsRegular() {
				pos, err = sf.Seek(0, io.SeekCurrent)
			}
		}
		if err != nil {
			return flvDumpPipe(c, in, format)
		}
		f, off, name = sf, pos, "stdin"
		closeIn = func() {}
	} else {
		of, err := os.Open(name)
		if err != nil {
			return nil, 0, "", nil, false // readInput reports it
		}
		f, closeIn = of, func() { of.Close() }
	}
	st, err := f.Stat()
	var head [9]byte
	if err == nil && st.Mode().IsRegular() {
		_, err = f.ReadAt(head[:], off)
	}
	hsize := binary.BigEndian.Uint32(head[5:])
	if err != nil || !st.Mode().IsRegular() || !(convert.IsFLV(head[:]) || in.KindSet) || convert.IsFLV(head[:]) && hsize > 1<<20 {
		closeIn()
		return nil, 0, "", nil, false
	}
	if name == "stdin" {
		e.stdinTaken = "the input"
	}
	return bufio.NewReaderSize(f, 64<<10), st.Size() - off, name, closeIn, true
}

// flvDumpPipe is flvDumpInput for stdin that is not a file (a pipe, or
// a test's reader): the text dump of an FLV streams from it, with a size
// of -1. A terminal is not looked at (readInput says first that it
// reads one); the bytes looked at otherwise stay for readInput.
func flvDumpPipe(c *cli.Context, in convert.InSpec, format string) (io.Reader, int64, string, func(), bool) {
	e := envOf(c)
	if format != "text" || e.isTerminal(e.stdin) {
		return nil, 0, "", nil, false
	}
	br := bufio.NewReaderSize(e.stdin, 64<<10)
	head, _ := br.Peek(9)
	e.stdin = br // readInput reads the bytes peeked at too
	isFLV := convert.IsFLV(head)
	if !(isFLV || in.KindSet) || len(head) < 9 || isFLV && binary.BigEndian.Uint32(head[5:]) > 1<<20 {
		return nil, 0, "", nil, false
	}
	e.stdinTaken = "the input"
	return br, -1, "stdin", func() {}, true
}

// dumpFLVStream is runDump for an FLV file read as a stream. maxOut is
// --max-output, 0 when not given; names is --charset's (dumpNames).
func dumpFLVStream(c *cli.Context, r io.Reader, size int64, name, format string, maxOut int64, names amf.DumpOption) error {
	out, err := createOutput(c, c.String("output"), false)
	if err != nil {
		return err
	}
	defer out.abort()
	mode, err := amf.DecOptions{UnregisteredArgs: c.Bool("pyamf-args")}.DecMode()
	if err != nil {
		return err
	}
	// The default bound is the input's size's; from a pipe, whose size
	// is not known, that of the bytes read so far (the dump of a tag is
	// written after the tag is read).
	cr := &readbuf.Counter{R: r}
	limit := func() int64 {
		switch {
		case maxOut > 0:
			return maxOut
		case size >= 0:
			return dumpDefaultMaxOutput(size)
		}
		return dumpDefaultMaxOutput(cr.N)
	}
	w := convert.LimitDumpOutput(out, limit)
	var cuts *dumpCuts // the text dump's
	if format == "json" {
		err = mode.WriteFLVDumpJSON(w, cr, size, dumpLines(c, out), names)
	} else {
		var p *amf.DumpPalette
		e := envOf(c)
		if out.stdout() && e.colorOn(e.colorMode, e.stdout) {
			p = dumpPalette()
		}
		cuts = &dumpCuts{Writer: w}
		err = mode.WriteFLVDumpText(cuts, cr, size, p, c.Bool("all"))
	}
	if lerr := dumpLimitError(name, err); lerr != nil {
		return lerr
	}
	var se *amf.SyntaxError
	fault := errors.As(err, &se)
	if err != nil && !fault {
		return out.failed(err)
	}
	if cerr := out.commit(); cerr != nil {
		return cerr
	}
	cuts.note(c) // once the dump is written
	if fault {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// dumpNames reads --charset as convert reads it (jsonOptions): the JSON
// dump's paths then name a member whose name is not UTF-8 as convert's
// plain JSON prints it. It checks the flag only.
func dumpNames(c *cli.Context) (amf.DumpOption, error) {
	dec, err := convert.NameDecoder(c.String("charset"))
	if err != nil {
		return nil, usageErrorf("--charset: %v", err)
	}
	return amf.DumpNames(dec), nil
}

// dumpMaxOutput reads --max-output as convert reads it (jsonOptions):
// the bound given, or 0 for the default. It checks the flag only.
func dumpMaxOutput(c *cli.Context) (int64, error) {
	s := c.String("max-output")
	if s == "" {
		return 0, nil
	}
	n, err := parseSize(s)
	if err != nil {
		return 0, usageErrorf("--max-output: %v", err).hint("give a byte count such as 1048576, 500M or 2G")
	}
	return n, nil
}

// dumpDefaultMaxOutput is --max-output's default for a dump of n bytes:
// convert's (1000 times the input, at most 1 GiB), but never under 8
// times the input, so that the hex of every byte (JSON's "hex" is twice
// the input, --all's text lines 4.25 times) is not cut by it: a dump of
// an input of more than 128 MiB (a video's FLV) may take more than 1 GiB
// without any explosion.
func dumpDefaultMaxOutput(n int64) int64 {
	return max(min(1<<30, 1000*n), 8*n)
}

// dumpLimitError is the error of a dump of name stopped by its bound
// (err, as the dump writers return it), with convert's exit status and
// hint for --max-output; nil when err is not that.
func dumpLimitError(name string, err error) error {
	if !errors.As(err, new(*convert.DumpOutputLimitError)) {
		return nil
	}
	return withCode(exitInput, fmt.Errorf("%s: %w", name, err)).
		hint("raise --max-output if the output is meant to be this large")
}

// dumpPalette colours a dump on a terminal: structure in blue, values in
// cyan, strings in green, references in magenta, faults in red; offsets,
// hex and lengths stay plain or faint.
func dumpPalette() *amf.DumpPalette {
	paint := func(attrs ...color.Attribute) func(string) string {
		c := color.New(attrs...)
		c.EnableColor()
		return func(s string) string { return c.Sprint(s) }
	}
	return &amf.DumpPalette{
		Offset:    paint(color.Faint),
		Section:   paint(color.FgBlue, color.Bold),
		Container: paint(color.FgBlue),
		Scalar:    paint(color.FgCyan),
		String:    paint(color.FgGreen),
		Ref:       paint(color.FgMagenta),
		Fault:     paint(color.FgRed, color.Bold),
		Unread:    paint(color.Faint),
	}
}

// fromJSONRefused is dump's refusal of --from json, whose hint fits what
// FILE holds: a named regular file's first bytes are looked at, and only
// JSON text is told to go through convert first ("amfcall convert x.amf
// | amfcall dump" was the hint for an AMF file too, which convert would
// have turned into JSON). stdin, which would be taken, is not looked at.
func fromJSONRefused(c *cli.Context) error {
	err := usageErrorf("dump reads AMF, not JSON")
	hintJSON := "convert JSON to AMF first: amfcall convert " + inputArg(c) + " | amfcall dump"
	name := c.Args().First()
	if name == "" || name == "-" {
		return err.hint(hintJSON)
	}
	f, oerr := os.Open(name)
	if oerr != nil {
		return err.hint(hintJSON)
	}
	defer f.Close()
	if st, serr := f.Stat(); serr != nil || !st.Mode().IsRegular() {
		return err.hint(hintJSON) // a FIFO is not read twice
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	g := convert.Detect(head)
	what := map[convert.Kind]string{convert.KindPacket: "an AMF packet", convert.KindSOL: "a .sol file",
		convert.KindFLV: "an FLV file", convert.KindSocket: "AMF Socket frames", convert.KindValue: "AMF values"}[g.Kind]
	switch {
	case g.Kind == convert.KindEmpty:
		return err // nothing to convert nor dump
	case what == "": // JSON text, a HAR file
		return err.hint(hintJSON)
	case g.Encoding != convert.Raw:
		what += ", as " + g.Encoding.String() + " text"
	}
	return usageErrorf("dump reads AMF, not JSON, and %s is no JSON text: it looks like %s", shellWord(name), what).
		hint("drop --from json: amfcall dump " + shellWord(name) + " guesses what the file holds, or --from packet, amf0, amf3, sol, flv or socket says it")
}
