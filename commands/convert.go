package commands

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

  AMF packet, bare AMF0/AMF3 values, .sol file, FLV script tags  ->  JSON
  JSON  ->  AMF packet when it is a packet object ({"messages": [...]}), a
      .sol file when it is {"sol": ..., "data": {...}}, else bare AMF3 values

The guess (-v prints it): JSON text; an AMF packet (version 0, 1 or 3 and a
body that decodes); a .sol file; an FLV file; hex or base64 text of any of
these; else bare values, read as AMF3 unless --from amf0 or a .amf0 file
name says otherwise, or only AMF0 reads them. --from and --to override the
guesses.

Several bare values in a row become one JSON document per line, and JSON
lines become values in a row. The JSON forms are described in the JSON
mapping: plain by default, typed (lossless) with --typed. AMF bytes are not
written to a terminal unless you ask with "-o -".

Malformed input fails with exit status 4 and the byte offset (AMF) or the
position (JSON) of the problem.

Examples:

  amfcall convert reply.amf                     # packet -> JSON
  amfcall convert --typed reply.amf > reply.json
  amfcall convert reply.json -o reply.amf       # and back, byte for byte
  echo '{"a": [1, 2.5]}' | amfcall convert --to hex:amf3
  amfcall convert --from amf0 value.bin
  amfcall convert -v video.flv                  # onMetaData as JSON`,
	Flags: append([]cli.Flag{
		&cli.BoolFlag{Name: "pyamf-args", Category: catInput, DisableDefaultText: true,
			Usage: "read packet requests with PyAMF's AMF0 reference numbering, in which the argument array takes no slot (Flash's numbering is the default; PyAMF's is also used when a reference points at the argument array)"},
		&cli.StringFlag{Name: "from", Value: "auto", Category: catInput,
			Usage: "read the input as `FORMAT`: auto, json, packet, amf0, amf3, sol, flv; hex or base64 (text of bytes whose kind is guessed), or hex:FORMAT, base64:FORMAT"},
		&cli.StringFlag{Name: "to", Category: catOutput, DefaultText: "json for AMF input; packet or amf3 for JSON",
			Usage: "write `FORMAT`: json, amf0, amf3, packet or sol; hex:FORMAT or base64:FORMAT write the bytes as text"},
		outputFlag(),
		verboseFlag("say on stderr what the input was taken for and what is written"),
	}, jsonFlags()...),
	Action: runConvert,
}

// inSpec is a parsed --from.
type inSpec struct {
	enc     convert.Encoding // text wrapping to remove first
	encSet  bool
	kind    convert.Kind // meaningful when kindSet
	kindSet bool
	ver     amf.Version // for KindValue

	pyamfArgs bool // --pyamf-args
}

func parseFrom(s string) (inSpec, error) {
	var in inSpec
	rest := strings.ToLower(strings.TrimSpace(s))
	for _, e := range []convert.Encoding{convert.Hex, convert.Base64} {
		name := e.String()
		if rest == name {
			in.enc, in.encSet, rest = e, true, ""
		} else if r, ok := strings.CutPrefix(rest, name+":"); ok {
			in.enc, in.encSet, rest = e, true, r
		}
	}
	switch rest {
	case "", "auto":
	case "json":
		in.kind, in.kindSet = convert.KindJSON, true
	case "packet":
		in.kind, in.kindSet = convert.KindPacket, true
	case "amf0":
		in.kind, in.kindSet, in.ver = convert.KindValue, true, amf.AMF0
	case "amf3":
		in.kind, in.kindSet, in.ver = convert.KindValue, true, amf.AMF3
	case "sol":
		in.kind, in.kindSet = convert.KindSOL, true
	case "flv":
		in.kind, in.kindSet = convert.KindFLV, true
	default:
		return in, usageErrorf("invalid --from value %q", s).
			hint("use auto, json, packet, amf0, amf3, sol, flv, hex, base64, or hex:FORMAT / base64:FORMAT")
	}
	return in, nil
}

// outSpec is a parsed --to.
type outSpec struct {
	format string           // "", "json", "amf0", "amf3" or "packet"; "" is the default for the input
	enc    convert.Encoding // Hex or Base64 writes AMF bytes as text
}

func parseTo(s string) (outSpec, error) {
	var out outSpec
	rest := strings.ToLower(strings.TrimSpace(s))
	for _, e := range []convert.Encoding{convert.Hex, convert.Base64} {
		name := e.String()
		if rest == name {
			out.enc, rest = e, ""
		} else if r, ok := strings.CutPrefix(rest, name+":"); ok {
			out.enc, rest = e, r
		}
	}
	switch rest {
	case "", "json", "amf0", "amf3", "packet", "sol":
		out.format = rest
	default:
		return out, usageErrorf("invalid --to value %q", s).
			hint("use json, amf0, amf3, packet or sol, or hex:FORMAT / base64:FORMAT for AMF bytes as text")
	}
	if out.format == "json" && out.enc != convert.Raw {
		return out, usageErrorf("--to %s: only AMF bytes can be written as %s", s, out.enc).
			hint("use --to " + out.enc.String() + ":amf3, " + out.enc.String() + ":amf0 or " + out.enc.String() + ":packet")
	}
	return out, nil
}

// binary reports whether the output is raw AMF bytes.
func (o outSpec) binary() bool { return o.format != "json" && o.enc == convert.Raw }

// source is the decoded input.
type source struct {
	name   string       // for messages
	kind   convert.Kind // what it is
	enc    convert.Encoding
	how    string // how the kind was decided
	data   []byte // without text wrapping
	packet *amf.Packet
	ver    amf.Version
	verWhy string
	flv    []convert.FLVTag
	sol    *amf.SOL
}

func runConvert(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 1, "FILE"); err != nil {
		return err
	}
	in, err := parseFrom(c.String("from"))
	in.pyamfArgs = c.Bool("pyamf-args")
	if err != nil {
		return err
	}
	to, err := parseTo(c.String("to"))
	if err != nil {
		return err
	}
	// The JSON flags are read again once the output is known; check them
	// now, before waiting on the input.
	if _, err := jsonOptions(c, &output{env: envOf(c)}, 0); err != nil {
		return err
	}
	outPath := c.String("output")
	e := envOf(c)
	if to.format != "" && to.binary() && outPath == "" && e.isTerminal(e.stdout) {
		return refuseBinary() // before waiting on the input
	}

	data, name, err := readInput(c, c.Args().First())
	if err != nil {
		return err
	}
	src, err := loadSource(data, name, in)
	var (
		buf    []byte
		out    *output
		opts   *convert.Options
		target target
	)
	if err == nil {
		target, err = resolveTarget(src, to)
	}
	if err == nil {
		out, err = createOutput(c, outPath, target.binary())
	}
	if out != nil {
		defer out.abort()
	}
	if err == nil {
		opts, err = jsonOptions(c, out, int64(len(data)))
	}
	streamed := false
	if err == nil {
		// The direct paths write to the output as they go.
		streamed, err = renderTo(out, src, target, opts)
	}
	if err == nil && !streamed {
		buf, err = render(src, target, opts)
	}
	// What was read is known only now (bare values that AMF3 cannot read
	// are AMF0); say it before any error.
	if verbosity(c) > 0 && src != nil {
		infof(c, "input: %s, %d bytes: %s", src.name, len(data), src.describe())
		if err == nil {
			infof(c, "output: %s to %s", target.describe(opts), out.name())
		}
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

// renderTo writes what the streaming paths convert (bare AMF values to
// plain JSON, plain JSON to AMF3) straight to out, so that memory does
// not grow with the output; it reports false for anything else.
func renderTo(out io.Writer, src *source, t target, o *convert.Options) (bool, error) {
	var write func(w io.Writer) error
	switch {
	case t.format == "json" && src.kind == convert.KindValue && !o.Typed:
		write = func(w io.Writer) error {
			return src.withValues(func(v amf.Version) error { return convert.WriteAMF(w, src.data, v, o) })
		}
		if t.enc != convert.Raw {
			return false, nil
		}
		if src.verWhy == defaultVersion && amf.Valid(src.data, src.ver) != nil {
			// It may be AMF0 after all: render tries both, before any
			// output is written.
			return false, nil
		}
	case t.format == "amf3" && src.kind == convert.KindJSON && !convert.IsSOLJSON(src.data) && !convert.IsPacketJSON(src.data):
		write = func(w io.Writer) error {
			err := convert.WriteJSONAsAMF(w, src.data, amf.AMF3)
			var je *convert.Error
			if errors.As(err, &je) {
				return fmt.Errorf("%s: %w", src.name, err)
			}
			return err
		}
	default:
		return false, nil
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	var w io.Writer = bw
	var closer io.Closer
	switch t.enc {
	case convert.Hex:
		w = hex.NewEncoder(bw)
	case convert.Base64:
		enc := base64.NewEncoder(base64.StdEncoding, bw)
		w, closer = enc, enc
	}
	if err := write(w); err != nil {
		return true, err
	}
	if closer != nil {
		closer.Close()
	}
	if t.enc != convert.Raw {
		bw.WriteByte('\n')
	}
	return true, bw.Flush()
}

const defaultVersion = "the default for bare values"

// loadSource finds what the input is, as --from says or by guessing, and
// decodes what must be decoded to know it: packets, FLV files. Bare values
// are decoded by render, which may stream them straight into JSON. On an
// error the source is returned too when its kind is known.
func loadSource(data []byte, name string, in inSpec) (*source, error) {
	src := &source{name: name, data: data, how: "guessed from the content"}
	if in.encSet {
		var err error
		src.enc = in.enc
		text := bytes.TrimSpace(data)
		if in.enc == convert.Hex {
			src.data, err = convert.DecodeHex(text)
		} else {
			src.data, err = convert.DecodeBase64(text)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		src.name = fmt.Sprintf("%s (%s-decoded)", name, in.enc)
	}
	if in.kindSet {
		src.kind, src.how = in.kind, "as --from says"
		if in.kind == convert.KindValue {
			src.ver, src.verWhy = in.ver, "from --from"
		}
	} else {
		g := convert.Detect(src.data)
		src.kind, src.packet = g.Kind, g.Packet
		if g.Encoding != convert.Raw {
			src.enc, src.data = g.Encoding, g.Data
			src.name = fmt.Sprintf("%s (%s-decoded)", name, g.Encoding)
		}
		if g.Kind == convert.KindPacket && g.Packet == nil && g.Err != nil {
			return src, withHint(fmt.Errorf("%s: %w", src.name, g.Err),
				"it looks like an AMF packet; if it is a bare value, add --from amf3 or --from amf0")
		}
		if g.Kind == convert.KindValue {
			src.ver, src.verWhy = amf.AMF3, defaultVersion
			switch strings.ToLower(filepath.Ext(name)) {
			case ".amf0":
				src.ver, src.verWhy = amf.AMF0, "from the file name"
			case ".amf3":
				src.verWhy = "from the file name"
			}
		}
	}
	if src.kind == convert.KindJSON && bytes.HasPrefix(src.data, []byte("\xEF\xBB\xBF")) {
		// A UTF-8 byte order mark (Windows editors write one) becomes
		// blanks, which keeps the offsets in error messages right.
		copy(src.data, "   ")
	}
	var err error
	switch src.kind {
	case convert.KindEmpty:
		return src, withCode(exitInput, fmt.Errorf("%s: the input is empty", name))
	case convert.KindValue:
		if len(src.data) == 0 {
			return src, withCode(exitInput, fmt.Errorf("%s: the input is empty", name))
		}
	case convert.KindPacket:
		if in.pyamfArgs {
			m, _ := amf.DecOptions{UnregisteredArgs: true}.DecMode()
			src.packet, err = m.UnmarshalPacket(src.data)
		} else if src.packet == nil {
			src.packet, err = amf.UnmarshalPacket(src.data)
		}
	case convert.KindFLV:
		src.flv, err = convert.ReadFLV(src.data)
	case convert.KindSOL:
		src.sol, err = amf.UnmarshalSOL(src.data)
	}
	if err != nil {
		return src, fmt.Errorf("%s: %w", src.name, err)
	}
	return src, nil
}

// withValues runs f, which decodes the bare values, with the version
// chosen. AMF3 is only the default: when it fails and the version was not
// asked for, bytes that AMF0 reads are taken for AMF0.
func (src *source) withValues(f func(amf.Version) error) error {
	err := f(src.ver)
	if err == nil {
		return nil
	}
	var se *amf.SyntaxError
	var te *amf.TrailingDataError
	if src.verWhy == defaultVersion && (errors.As(err, &se) || errors.As(err, &te)) {
		if f(amf.AMF0) == nil {
			src.ver, src.verWhy = amf.AMF0, "they do not decode as AMF3"
			return nil
		}
	}
	return src.valueHint(fmt.Errorf("%s: %w", src.name, err))
}

// valueHint adds a hint to a bare-value decoding error when the other
// AMF version reads the input.
func (src *source) valueHint(err error) error {
	other := amf.AMF0
	if src.ver == amf.AMF0 {
		other = amf.AMF3
	}
	if vs, e := amf.UnmarshalAll(src.data, other); e == nil && len(vs) > 0 {
		return withHint(err, fmt.Sprintf("the input decodes as %s: add --from %s", strings.ToUpper(other.String()), other))
	}
	if src.verWhy == defaultVersion {
		return withHint(err, "it was read as bare AMF3 values, the default; --from says what it is (amf0, packet, json...)")
	}
	return err
}

func (src *source) describe() string {
	var s string
	switch src.kind {
	case convert.KindJSON:
		s = "JSON text"
	case convert.KindPacket:
		s = "an AMF packet"
		if p := src.packet; p != nil {
			s = fmt.Sprintf("an AMF packet (version %d, %s, %s)", p.Version,
				count(len(p.Headers), "header"), count(len(p.Messages), "message"))
		}
	case convert.KindValue:
		s = fmt.Sprintf("bare AMF values, read as %s (%s)", strings.ToUpper(src.ver.String()), src.verWhy)
	case convert.KindFLV:
		s = "an FLV file"
	case convert.KindSOL:
		s = "a local shared object (.sol)"
	case convert.KindEmpty:
		s = "nothing"
	}
	if src.enc != convert.Raw {
		s += ", in " + src.enc.String() + " text"
	}
	return s + "; " + src.how
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// target is the resolved output format.
type target struct {
	format string // json, amf0, amf3, packet
	enc    convert.Encoding
}

func (t target) binary() bool { return t.format != "json" && t.enc == convert.Raw }

func (t target) describe(o *convert.Options) string {
	switch t.format {
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
	}
	return "bare " + strings.ToUpper(t.format) + " values" + t.encNote()
}

func (t target) encNote() string {
	if t.enc == convert.Raw {
		return ""
	}
	return " as " + t.enc.String() + " text"
}

// resolveTarget fills in the default --to and rejects impossible pairs.
func resolveTarget(src *source, to outSpec) (target, error) {
	t := target{format: to.format, enc: to.enc}
	if t.format == "" {
		switch {
		case src.kind == convert.KindJSON:
			t.format = "amf3"
			if convert.IsPacketJSON(src.data) {
				t.format = "packet"
			} else if convert.IsSOLJSON(src.data) {
				t.format = "sol"
			}
		case to.enc == convert.Raw:
			t.format = "json"
		case src.kind == convert.KindPacket:
			t.format = "packet"
		case src.kind == convert.KindSOL:
			t.format = "sol"
		case src.kind == convert.KindValue:
			t.format = src.ver.String()
		}
	}
	switch {
	case t.format == "json" || src.kind == convert.KindJSON:
		return t, nil
	case src.kind == convert.KindFLV:
		return t, usageErrorf("FLV input converts to JSON only, not to %s", t.format).hint("use --to json")
	case src.kind == convert.KindSOL && t.format != "sol":
		return t, usageErrorf("a .sol file can't be written as %s", t.format).
			hint("use --to sol or --to json")
	case src.kind != convert.KindSOL && t.format == "sol":
		return t, usageErrorf("only a .sol file or its JSON form can be written as a .sol file").
			hint(`its JSON form is {"sol": "name", "version": 3, "data": {"key": "value"}}`)
	case src.kind == convert.KindPacket && t.format != "packet":
		return t, usageErrorf("a packet can't be written as bare %s values", strings.ToUpper(t.format)).
			hint("use --to packet or --to json")
	case src.kind == convert.KindValue && t.format == "packet":
		return t, usageErrorf("bare AMF values can't be written as a packet").
			hint(`a packet comes from a packet, or from JSON such as {"version": 0, "messages": [{"target": "echo", "response": "/1", "value": [1]}]}`)
	}
	return t, nil
}

// render converts the source into the target's bytes.
func render(src *source, t target, o *convert.Options) ([]byte, error) {
	var out []byte
	var err error
	switch t.format {
	case "json":
		out, err = renderJSON(src, o)
	case "packet":
		p := src.packet
		if src.kind == convert.KindJSON {
			if p, err = convert.PacketFromJSON(src.data); err != nil {
				return nil, fmt.Errorf("%s: %w", src.name, err)
			}
		}
		out, err = amf.MarshalPacket(p)
	case "sol":
		sol := src.sol
		if src.kind == convert.KindJSON {
			if sol, err = convert.SOLFromJSON(src.data); err != nil {
				return nil, fmt.Errorf("%s: %w", src.name, err)
			}
		}
		out, err = amf.MarshalSOL(sol)
	default:
		ver := amf.AMF3
		if t.format == "amf0" {
			ver = amf.AMF0
		}
		if src.kind == convert.KindJSON {
			// Straight from the text where it can (plain JSON to AMF3).
			out, err = convert.AppendJSONAsAMF(nil, src.data, ver)
			var je *convert.Error
			if errors.As(err, &je) {
				return nil, fmt.Errorf("%s: %w", src.name, err)
			}
			break
		}
		var vs []any
		switch src.kind {
		case convert.KindValue:
			err := src.withValues(func(v amf.Version) (err error) {
				vs, err = amf.UnmarshalAll(src.data, v)
				return err
			})
			if err != nil {
				return nil, err
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
	switch t.enc {
	case convert.Hex:
		out = append([]byte(hex.EncodeToString(out)), '\n')
	case convert.Base64:
		out = append([]byte(base64.StdEncoding.EncodeToString(out)), '\n')
	}
	return out, nil
}

func renderJSON(src *source, o *convert.Options) ([]byte, error) {
	switch src.kind {
	case convert.KindPacket:
		return appendLine(convert.AppendPacket(nil, src.packet, o))
	case convert.KindValue:
		var out []byte
		err := src.withValues(func(v amf.Version) (err error) {
			out, err = convert.AppendAMF(nil, src.data, v, o)
			return err
		})
		return out, err
	case convert.KindFLV:
		return appendLine(convert.AppendValue(nil, flvValue(src.flv), o))
	case convert.KindSOL:
		return appendLine(convert.AppendSOL(nil, src.sol, o))
	case convert.KindJSON:
		if convert.IsSOLJSON(src.data) {
			sol, err := convert.SOLFromJSON(src.data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.name, err)
			}
			return appendLine(convert.AppendSOL(nil, sol, o))
		}
		if convert.IsPacketJSON(src.data) {
			p, err := convert.PacketFromJSON(src.data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", src.name, err)
			}
			return appendLine(convert.AppendPacket(nil, p, o))
		}
		vs, err := convert.FromJSONLines(src.data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.name, err)
		}
		return appendValues(vs, o)
	}
	return nil, fmt.Errorf("can't convert %s input to JSON", src.kind)
}

func appendValues(vs []any, o *convert.Options) ([]byte, error) {
	if len(vs) == 1 {
		return appendLine(convert.AppendValue(nil, vs[0], o))
	}
	return convert.AppendValues(nil, vs, o)
}

func appendLine(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// flvValue is the JSON shape of an FLV file's script tags:
// {"flv": [{"tag": N, "timestamp": MS, "name": "onMetaData", "value": ...}]}.
func flvValue(tags []convert.FLVTag) any {
	items := make([]any, len(tags))
	for i, t := range tags {
		var ts any = float64(t.Timestamp)
		if t.Timestamp <= amf.MaxInt {
			ts = amf.Int(t.Timestamp)
		}
		o := &amf.Object{Members: []amf.Member{
			{Name: "tag", Value: amf.Int(t.Index)},
			{Name: "timestamp", Value: ts},
			{Name: "name", Value: t.Name},
			{Name: "value", Value: t.Value},
		}}
		if len(t.Extra) > 0 {
			o.Members = append(o.Members, amf.Member{Name: "extra", Value: &amf.Array{Dense: t.Extra}})
		}
		items[i] = o
	}
	return &amf.Object{Members: []amf.Member{{Name: "flv", Value: &amf.Array{Dense: items}}}}
}
